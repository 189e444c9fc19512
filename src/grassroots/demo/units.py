"""Organisational units of the demo county: where its cases are routed."""

from __future__ import annotations

from grassroots.demo.county import COUNTY_CODE, Node
from grassroots.geo.actions import NewUnit
from grassroots.geo.models import Level, UnitKind

COUNTY_UNITS: list[tuple[str, str, UnitKind]] = [
    ("centre", "示范县综治中心", UnitKind.centre),
    ("justice", "示范县司法局", UnitKind.department),
    ("police", "示范县公安局", UnitKind.department),
    ("hrss", "示范县人力资源和社会保障局", UnitKind.department),
    ("land", "示范县自然资源局", UnitKind.department),
    ("housing", "示范县住房和城乡建设局", UnitKind.department),
    ("market", "示范县市场监督管理局", UnitKind.department),
    ("health", "示范县卫生健康局", UnitKind.department),
    ("transport", "示范县交通运输局", UnitKind.department),
    ("env", "示范县生态环境分局", UnitKind.department),
    ("letters", "示范县信访局", UnitKind.letters_office),
    ("court", "示范县人民法院", UnitKind.court),
    ("mediation", "示范县人民调解委员会", UnitKind.mediation_committee),
]


def demo_units(county: Node) -> list[NewUnit]:
    units = [
        NewUnit(f"{COUNTY_CODE[:6]}-{key}", name, kind.value, COUNTY_CODE)
        for key, name, kind in COUNTY_UNITS
    ]
    for township in county.children:
        assert township.level is Level.township
        short = township.name
        code = township.code
        units += [
            NewUnit(f"{code[:9]}-centre", f"{short}综治中心", UnitKind.centre.value, code),
            NewUnit(f"{code[:9]}-justice", f"{short}司法所", UnitKind.judicial_office.value, code),
            NewUnit(f"{code[:9]}-police", f"{short}派出所", UnitKind.police_station.value, code),
            NewUnit(
                f"{code[:9]}-mediation",
                f"{short}人民调解委员会",
                UnitKind.mediation_committee.value,
                code,
            ),
        ]
        for village in township.children:
            kind = "居" if village.name.endswith("社区") else "村"
            units.append(
                NewUnit(
                    f"{village.code}-mediation",
                    f"{village.name}{kind}民调解委员会",
                    UnitKind.mediation_committee.value,
                    village.code,
                )
            )
    return units
