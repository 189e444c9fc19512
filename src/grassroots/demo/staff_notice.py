"""What `grassroots demo` prints about the demo accounts."""

from __future__ import annotations

import typer

from grassroots.demo.county import build_tree
from grassroots.demo.staff import demo_staff

ROLE_LABELS = {
    "grid_worker": "网格员",
    "mediator": "调解员",
    "centre_staff": "综治中心受理员",
    "unit_handler": "职能部门承办人",
    "leader": "领导",
    "system_admin": "系统管理员",
    "security_admin": "安全管理员",
    "auditor": "审计管理员",
}


def print_demo_logins() -> None:
    typer.echo(
        "\n示范账号与密码（仅供演示，切勿用于生产；管理员首次登录须绑定动态口令） /\n"
        "demo accounts and passwords — FOR THE DEMO ONLY, never in production;\n"
        "administrators enrol a TOTP authenticator app at their first login:"
    )
    county = build_tree().children[0].children[0]
    for staff in demo_staff(county):
        if staff.role.value in ROLE_LABELS:
            label = ROLE_LABELS[staff.role.value]
            typer.echo(
                f"  {staff.username:<10} {staff.password or '':<15} {staff.display_name:<6} {label}"
            )
