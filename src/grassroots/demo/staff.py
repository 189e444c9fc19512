"""Named demo staff, one or more per role of DESIGN §1, placed in the demo county.

The same names serve as the test suite's seed users, so tests read like stories:
wang registers on patrol in 青石镇 · 东…村, zhao accepts at the 青石镇 centre, li mediates,
sun handles at the 司法所, chen leads the county, zhou works in another township.
"""

from __future__ import annotations

from dataclasses import dataclass

from grassroots.accounts.models import Role
from grassroots.demo.county import COUNTY_CODE, Node


@dataclass(frozen=True)
class Staff:
    username: str
    display_name: str
    role: Role
    jurisdiction_code: str
    unit_code: str | None = None

    @property
    def password(self) -> str | None:
        """The demo password (printed by `grassroots demo`); None = cannot log in."""
        return DEMO_PASSWORDS.get(self.username)


# FOR THE DEMO ONLY: published passwords, so that anyone can try each role. A real
# deployment creates its accounts with `grassroots users add` and never builds the demo.
DEMO_PASSWORDS: dict[str, str] = {
    name: f"Shifanxian-{i:02d}"
    for i, name in enumerate(
        ["wang", "li", "zhao", "sun", "qian", "chen", "zhou", "wu", "admin", "security", "audit"],
        start=1,
    )
}


def demo_staff(county: Node) -> list[Staff]:
    home_township = county.children[1]  # 青石镇
    home_village = home_township.children[0]
    other_township = county.children[2]  # 柳河镇
    t, o = home_township.code, other_township.code
    c = COUNTY_CODE
    return [
        Staff("wang", "王芳", Role.grid_worker, home_village.code),
        Staff("li", "李明", Role.mediator, t, f"{t[:9]}-mediation"),
        Staff("zhao", "赵强", Role.centre_staff, t, f"{t[:9]}-centre"),
        Staff("sun", "孙丽", Role.unit_handler, t, f"{t[:9]}-justice"),
        Staff("qian", "钱进", Role.centre_staff, c, f"{c[:6]}-centre"),
        Staff("chen", "陈国栋", Role.leader, c),
        Staff("zhou", "周敏", Role.centre_staff, o, f"{o[:9]}-centre"),
        Staff("wu", "吴刚", Role.grid_worker, other_township.children[0].code),
        Staff("admin", "系统管理员", Role.system_admin, c),
        Staff("security", "安全管理员", Role.security_admin, c),
        Staff("audit", "审计管理员", Role.auditor, c),
        Staff("system", "系统", Role.system, c),
    ]
