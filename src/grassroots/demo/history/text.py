"""Chinese titles, descriptions and fictional parties for the demo history.

Every name and number is invented: names are drawn from common surnames and given-name
characters, ID numbers use the fictional region prefix 99 (no real place), phone numbers
are random 11-digit mobile-style numbers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓"
    "曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "国建华明秀英玉兰志强军平桂芳德海红春林文金福永兴丽红霞云飞伟刚勇敏静燕萍涛斌浩宇鑫"

# category → (title templates, description templates). Placeholders: {a} {b} party names,
# {place} village name, {money} an amount in yuan, {n} a small count.
TEXTS: dict[str, tuple[list[str], list[str]]] = {
    "neighbour": (
        ["邻里排水沟堵塞纠纷", "邻里噪音扰民纠纷", "宅前通道通行纠纷", "邻里饲养家禽扰邻纠纷"],
        [
            "{place}村民{a}与邻居{b}因排水沟堵塞、雨水倒灌院内发生争执，双方多次口角。",
            "{a}反映邻居{b}在两家之间堆放杂物、阻碍通行，协商未果，请求调解。",
        ],
    ),
    "marriage_family": (
        ["赡养老人费用分担纠纷", "夫妻感情不和家庭纠纷", "子女抚养费给付纠纷", "分家析产纠纷"],
        [
            "{a}与兄弟{b}就母亲赡养费用分担产生分歧，老人生活无人照料，亲属请求村调委会调解。",
            "{a}与{b}因家庭琐事长期不和，近日发生激烈争吵，双方父母请求调解。",
        ],
    ),
    "housing_land": (
        ["宅基地界址争议", "翻建房屋滴水檐纠纷", "房屋买卖过户纠纷"],
        [
            "{a}翻建住房时，邻居{b}认为新墙基越过两家宅基地界线约半米，双方各执一词。",
            "{a}与{b}就老宅分界及屋檐滴水问题发生争议，涉及面积约{n}平方米。",
        ],
    ),
    "contract": (
        ["土地流转租金拖欠纠纷", "农资赊销货款纠纷", "房屋装修合同纠纷"],
        [
            "{a}将承包地流转给{b}种植，{b}拖欠当年租金{money}元未付，{a}请求调解。",
            "{a}为{b}装修房屋，完工后双方对工程质量和尾款{money}元发生争议。",
        ],
    ),
    "production": (
        ["灌溉用水纠纷", "养殖场与农户用地纠纷", "合作社分红纠纷"],
        [
            "农忙灌溉期间，{a}与{b}因抽水先后顺序发生争执，影响{n}户农田灌溉。",
            "{a}等{n}户社员对合作社年终分红方案有异议，与负责人{b}协商未果。",
        ],
    ),
    "damages": (
        ["牲畜啃食庄稼赔偿纠纷", "施工损坏房屋赔偿纠纷", "打架致伤赔偿纠纷"],
        [
            "{b}家的牛进入{a}的麦田啃食青苗约{n}分地，双方就赔偿金额{money}元协商不成。",
            "{b}施工时致{a}家墙体开裂，{a}要求赔偿修缮费用{money}元。",
        ],
    ),
    "forest_land": (
        ["山林权属界线纠纷", "承包地边界纠纷", "林木采伐收益纠纷"],
        [
            "{a}与{b}两家对相邻责任山的界线认识不一，因砍伐杂木引发争执。",
            "秋收前{a}与{b}就承包地田埂边界发生争议，涉及耕地约{n}分。",
        ],
    ),
    "land_requisition": (
        ["征地补偿款分配纠纷", "拆迁安置面积争议"],
        [
            "{place}修建乡村道路征用部分耕地，{a}对补偿款在家庭成员间的分配有异议，与{b}发生纠纷。",
            "{a}认为拆迁安置面积核算有误，与实施单位及{b}协商未果。",
        ],
    ),
    "environment": (
        ["养殖污水排放纠纷", "焚烧秸秆烟尘纠纷"],
        [
            "{b}养猪场污水流入{a}家鱼塘，造成部分鱼苗死亡，{a}要求赔偿{money}元。",
            "{a}反映{b}作坊粉尘噪声影响周边{n}户村民生活。",
        ],
    ),
    "labour": (
        ["农民工工资拖欠纠纷", "务工受伤赔偿纠纷"],
        [
            "春节前{a}等{n}名村民反映在{b}承包的工地务工，被拖欠工资共计{money}元。",
            "{a}在{b}处务工时受伤，双方就医疗费和误工费发生争议。",
        ],
    ),
    "consumer": (
        ["农资质量纠纷", "家电售后纠纷"],
        [
            "{a}从{b}处购买的种子出苗率低，怀疑质量问题，要求赔偿损失{money}元。",
            "{a}购买的电动车多次故障，与经销商{b}就退换货协商未果。",
        ],
    ),
    "medical": (
        ["村卫生室诊疗纠纷"],
        ["{a}家属认为村卫生室{b}诊疗不当导致病情延误，要求说法和赔偿。"],
    ),
    "traffic": (
        ["农用车刮擦赔偿纠纷", "电动车碰撞纠纷"],
        ["{a}驾驶三轮车与{b}的电动车在村道相撞，双方就责任和修车费{money}元发生争议。"],
    ),
    "property_mgmt": (
        ["物业费收缴纠纷", "小区停车位纠纷"],
        [
            "{a}以楼道照明长期损坏为由拒交物业费，与物业公司负责人{b}发生争执。",
            "{a}与{b}因小区公共车位占用问题多次争吵。",
        ],
    ),
    "other": (
        ["借款纠纷", "集体活动摊派纠纷"],
        ["{a}向{b}借款{money}元逾期未还，双方就还款期限发生争议。"],
    ),
}


@dataclass(frozen=True)
class FakeParty:
    role: str
    name: str
    phone: str | None
    id_number: str | None


def person_name(rng: random.Random) -> str:
    size = 1 if rng.random() < 0.35 else 2
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(size))


def phone_number(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "151", "158", "186", "187", "189"]) + "".join(
        str(rng.randrange(10)) for _ in range(8)
    )


def id_number(rng: random.Random, county_code: str) -> str:
    """An 18-digit ID number with a valid check digit and the fictional region prefix 99."""
    birth = date(rng.randint(1950, 2002), rng.randint(1, 12), rng.randint(1, 28))
    body = f"{county_code[:6]}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def parties(rng: random.Random, county_code: str) -> list[FakeParty]:
    found = [
        FakeParty("applicant", person_name(rng), phone_number(rng), _maybe_id(rng, county_code)),
        FakeParty("respondent", person_name(rng), _maybe(rng, 0.7, phone_number), None),
    ]
    if rng.random() < 0.08:
        found.append(FakeParty("third_party", person_name(rng), None, None))
    return found


def _maybe(rng: random.Random, p: float, make: object) -> str | None:
    assert callable(make)
    return str(make(rng)) if rng.random() < p else None


def _maybe_id(rng: random.Random, county_code: str) -> str | None:
    return id_number(rng, county_code) if rng.random() < 0.5 else None


def texts(rng: random.Random, category: str, place: str, names: list[str]) -> tuple[str, str]:
    titles, descriptions = TEXTS.get(category, TEXTS["other"])
    values = {
        "a": names[0],
        "b": names[1] if len(names) > 1 else person_name(rng),
        "place": place,
        "money": rng.choice([800, 1500, 2600, 3800, 5000, 8600, 12000, 23000]),
        "n": rng.randint(2, 12),
    }
    return rng.choice(titles), rng.choice(descriptions).format(**values)
