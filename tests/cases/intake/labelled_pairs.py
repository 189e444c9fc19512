"""A labelled set of case pairs for 查重 (issue 18): each event told twice — as a resident
and a grid worker would register it — and the pairs staff must tell apart.

Every event below is a dispute or request of the kind a township centre registers, written
twice by hand in different words (the first as the resident told it, the second as another
person or channel registered it). The pairs are built from them:
- duplicate: the two tellings of one event, in the same grid; some across a grid border a
  few dozen metres apart; some told by the same party (same phone) from another grid;
- different: two events of the same category in the same grid (the hard case: same kind of
  trouble, different matter), two events of different categories in the same grid, the same
  telling in a distant grid (the same kind of trouble elsewhere), and two events with the
  same party's name but no shared phone or ID number;
- repeat: the same party (same phone) in an unrelated matter — a repeat disputant, which the
  finder shows on purpose (reason same_party), counted apart from the duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass

from grassroots.cases.intake.duplicates import Sketch

GRIDS = ("990101002201001", "990101002201002", "990101002202001", "990101003201001")
# Grid centres (lat, lng): the first two share a border; the others lie kilometres away.
CENTRES = {
    GRIDS[0]: (30.2501, 120.1601),
    GRIDS[1]: (30.2506, 120.1606),
    GRIDS[2]: (30.2801, 120.1901),
    GRIDS[3]: (30.3301, 120.2501),
}


@dataclass(frozen=True)
class Event:
    category: str
    told: str  # as the resident told it
    retold: str  # as it was registered a second time


EVENTS: list[Event] = [
    Event("neighbour", "张家和李家因院墙排水沟堵塞发生争执，雨天污水流进李家院子",
          "两户因排水沟堵塞争吵，李家院墙渗水，要求张家疏通"),
    Event("neighbour", "楼上住户深夜跺脚噪音扰民，多次敲门协商无果",
          "反映楼上半夜噪音很大，影响老人睡眠，沟通过几次没用"),
    Event("neighbour", "邻居家狗没拴绳咬伤了小孩，要求赔偿医药费",
          "小孩被邻居家狗咬伤，家长要求狗主人承担医药费"),
    Event("neighbour", "广场舞音响太吵，晚上九点后还在放",
          "晚上广场跳舞放音乐声音太大，过了九点还不停"),
    Event("neighbour", "邻居在公共楼道堆放杂物，堵塞消防通道",
          "楼道被邻居堆满纸箱杂物，消防通道不通"),
    Event("neighbour", "隔壁装修白天电钻噪音，周末也施工",
          "隔壁房子装修周末还在打电钻，吵得没法休息"),
    Event("property", "小区物业费收取标准不合理，业主质疑涨价",
          "业主反映物业突然涨物业费，收费标准不透明"),
    Event("property", "小区电梯经常故障，物业维修不及时",
          "电梯三天两头坏，找物业报修一直拖着不修"),
    Event("property", "地下车库车位被外来车辆长期占用",
          "小区车库的车位老被外面的车占着，物业不管"),
    Event("land", "宅基地边界争议，两家都说界桩在对方一侧",
          "两家为宅基地界址吵起来了，界桩位置说不清"),
    Event("land", "土地承包合同到期，续包价格谈不拢",
          "承包地合同到期了，村里和承包户对续约价格有争议"),
    Event("land", "山林界线不清，两村村民砍树发生冲突",
          "两个村的人在山林交界处砍树起了冲突，林界不明"),
    Event("labour", "建筑工地拖欠农民工工资三个月",
          "工地老板欠了工人三个月工钱，工人讨薪"),
    Event("labour", "饭店辞退员工不给经济补偿",
          "在饭店干了两年被辞退，老板不给补偿金"),
    Event("labour", "厂里加班不给加班费，工人集体反映",
          "工厂长期加班却不发加班工资，十几个工人一起来反映"),
    Event("family", "婚后财产分割纠纷，双方为房子归属争执",
          "夫妻离婚，为房产归谁分不下来"),
    Event("family", "三兄弟为老人赡养费分摊争吵",
          "老人的赡养费几个儿子谁出多少吵了起来"),
    Event("family", "父母去世后兄妹争老宅继承",
          "兄妹几个为父母留下的老房子怎么继承闹矛盾"),
    Event("consumer", "超市卖过期食品，消费者要求十倍赔偿",
          "在超市买到过期的牛奶，要求按规定赔偿"),
    Event("consumer", "装修公司收了定金不开工",
          "交了装修定金，装修公司一直不进场施工"),
    Event("consumer", "健身房倒闭，会员卡余额无法退",
          "办的健身卡还剩很多钱，健身房关门跑路了"),
    Event("traffic", "电动车与行人相撞，医疗费协商不成",
          "骑电动车撞了路人，双方为医药费谈不拢"),
    Event("traffic", "停车场剐蹭车辆后对方逃逸",
          "车停在停车场被人剐了，对方开走了"),
    Event("environment", "养猪场臭味大，污水排进河沟",
          "村里养猪场气味难闻，粪水直接排到河沟里"),
    Event("environment", "路口垃圾堆长期无人清运，夏天发臭",
          "路口那堆垃圾好久没人拉走，天热臭得很"),
    Event("environment", "小作坊夜间排放刺鼻废气",
          "附近小作坊半夜排气味刺鼻，住户头晕"),
    Event("contract", "借款到期不还，借条写明三个月归还",
          "朋友借钱三个月到期了不还，有借条"),
    Event("contract", "买卖果树苗货不对板，要求退款",
          "买的果树苗品种不对，卖家不肯退钱"),
    Event("medical", "卫生院输液后出现过敏，家属质疑用药",
          "在卫生院打完吊针过敏了，家属认为用错药"),
    Event("other", "村口路灯坏了一个多月没人修",
          "村口的路灯坏了很久，晚上黑漆漆没人管"),
]  # fmt: skip


@dataclass(frozen=True)
class Pair:
    new: Sketch
    registered: Sketch
    label: str  # duplicate / different / repeat
    why: str  # how the pair was built


def _sketch(text: str, grid: str, party: str = "", offset: float = 0.0) -> Sketch:
    lat, lng = CENTRES[grid]
    keys = frozenset({party}) if party else frozenset()
    return Sketch(text, grid, lat + offset, lng + offset, keys)


def _duplicates() -> list[Pair]:
    out = []
    for i, e in enumerate(EVENTS):
        g = GRIDS[i % 3]
        out.append(Pair(_sketch(e.retold, g), _sketch(e.told, g), "duplicate", "same grid"))
        if i % 3 == 0:  # across the border of two grids, ~40 m apart
            a = _sketch(e.retold, GRIDS[1], offset=-0.0002)
            out.append(Pair(a, _sketch(e.told, GRIDS[0]), "duplicate", "nearby grid"))
        if i % 4 == 0:  # the same resident phoned it in again from where they work
            a = _sketch(e.retold, GRIDS[3], party=f"phone{i}")
            b = _sketch(e.told, GRIDS[0], party=f"phone{i}")
            out.append(Pair(a, b, "duplicate", "same party elsewhere"))
    return out


def _different() -> list[Pair]:
    out = []
    for i, e in enumerate(EVENTS):
        g = GRIDS[i % 3]
        same_kind = [x for x in EVENTS if x.category == e.category and x is not e]
        if same_kind:
            other = same_kind[i % len(same_kind)]
            out.append(Pair(_sketch(e.told, g), _sketch(other.told, g), "different", "same kind"))
        unlike = EVENTS[(i + 7) % len(EVENTS)]
        if unlike.category != e.category:
            out.append(Pair(_sketch(e.retold, g), _sketch(unlike.told, g), "different", "unlike"))
        far = _sketch(e.told, GRIDS[3])
        out.append(Pair(_sketch(e.told, GRIDS[i % 2]), far, "different", "far away"))
        if i % 5 == 0:  # the same common surname, no shared phone or ID number
            a = _sketch(e.told, g, party=f"name{i}")
            b = _sketch(EVENTS[(i + 11) % len(EVENTS)].told, g, party=f"other{i}")
            out.append(Pair(a, b, "different", "same name only"))
    return out


# The hardest negatives: the same grid, the same kind of trouble in many of the same words,
# but another matter (another employer, another dog, another shop).
LOOKALIKES: list[tuple[str, str]] = [
    ("建筑工地拖欠农民工工资三个月", "装修队拖欠两个工人半年工资"),
    ("邻居家狗没拴绳咬伤了小孩，要求赔偿医药费", "小区流浪狗咬伤老人，要求物业处理流浪狗"),
    ("超市卖过期食品，消费者要求十倍赔偿", "学校门口小卖部卖过期饮料给学生"),
    ("养猪场臭味大，污水排进河沟", "养鸡场鸡粪乱堆，苍蝇多"),
    ("楼上住户深夜跺脚噪音扰民，多次敲门协商无果", "隔壁装修白天电钻噪音，周末也施工"),
    ("村口路灯坏了一个多月没人修", "村里自来水管爆裂，一个多月没人修"),
    ("小区电梯经常故障，物业维修不及时", "小区门禁经常故障，物业维修不及时"),
    ("宅基地边界争议，两家都说界桩在对方一侧", "承包田边界争议，两家都说田埂是自家的"),
    ("饭店辞退员工不给经济补偿", "快递公司辞退员工不给经济补偿"),
    ("电动车与行人相撞，医疗费协商不成", "两辆电动车相撞，修车费用协商不成"),
]


def _lookalikes() -> list[Pair]:
    return [
        Pair(_sketch(a, GRIDS[0]), _sketch(b, GRIDS[0]), "different", "look-alike")
        for a, b in LOOKALIKES
    ]


def _repeats() -> list[Pair]:
    out = []
    for i in range(0, len(EVENTS), 3):
        a = _sketch(EVENTS[i].told, GRIDS[0], party=f"repeat{i}")
        b = _sketch(EVENTS[(i + 13) % len(EVENTS)].told, GRIDS[2], party=f"repeat{i}")
        out.append(Pair(a, b, "repeat", "same party, another matter"))
    return out


PAIRS: list[Pair] = _duplicates() + _different() + _lookalikes() + _repeats()


@dataclass(frozen=True)
class Score:
    threshold: float
    precision: float  # of the pairs flagged, the share that are duplicates (repeats apart)
    recall: float  # of the duplicates, the share flagged
    repeats_shown: float  # of the repeat disputants, the share flagged (wanted: 1.0)
    misses: list[Pair]
    false_alarms: list[Pair]


def measure(threshold: float, window_days: int = 30, distance_m: float = 300) -> Score:
    """The finder's rule on PAIRS at a text threshold (repeat pairs counted apart)."""
    from grassroots.cases.intake.duplicates import Thresholds, is_likely_duplicate

    t = Thresholds(window_days, distance_m, threshold)
    flagged = {id(p) for p in PAIRS if is_likely_duplicate(p.new, p.registered, t)}
    dups = [p for p in PAIRS if p.label == "duplicate"]
    others = [p for p in PAIRS if p.label == "different"]
    repeats = [p for p in PAIRS if p.label == "repeat"]
    tp = sum(id(p) in flagged for p in dups)
    fp = [p for p in others if id(p) in flagged]
    return Score(
        threshold=threshold,
        precision=tp / (tp + len(fp)) if tp + len(fp) else 1.0,
        recall=tp / len(dups),
        repeats_shown=sum(id(p) in flagged for p in repeats) / len(repeats),
        misses=[p for p in dups if id(p) not in flagged],
        false_alarms=fp,
    )
