"""Chinese place names for the fictional demo county. None of them is meant as a real place."""

TOWNSHIPS: list[tuple[str, bool]] = [
    # (name, is_subdistrict 街道)
    ("城关街道", True),
    ("青石镇", False),
    ("柳河镇", False),
    ("白马乡", False),
    ("桃源镇", False),
    ("龙泉乡", False),
    ("杏花镇", False),
    ("松岭乡", False),
]

VILLAGE_FIRST = "东西南北上下前后大小新老高长清石柳杨桃李杏梅竹松柏枫槐桂荷兰菊"
VILLAGE_SECOND = "河湾岭坪坝沟庄塘湖山桥岗岩泉冲垸屯铺店园田溪洲峪"
COMMUNITY_NAMES = [
    "和平",
    "幸福",
    "建设",
    "文化",
    "向阳",
    "春晖",
    "育才",
    "锦绣",
    "阳光",
    "花园",
    "东门",
    "西关",
]

GRID_NUMERALS = "一二三四五六七八九十"
