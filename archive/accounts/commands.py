"""`archive user …`: manage accounts from the command line (the first administrator
is made here)."""
from __future__ import annotations

import sys

import click

from archive.access import ROLES
from archive.accounts.users import ROLE_NAMES, AccountError
from archive.context import ArchiveContext


@click.group("user")
def user_group() -> None:
    """管理账号（管理员 admin、档案员 archivist、宣讲员 lecturer）。"""


@user_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="角色。")
@click.option("--name", "display_name", default="", help="显示的姓名。")
@click.option("--password", prompt="密码", hide_input=True, confirmation_prompt="再次输入密码",
              help="密码（不给出时交互输入，不回显）。")
@click.pass_obj
def add(context: ArchiveContext, username: str, role: str, display_name: str, password: str) -> None:
    """添加账号：archive user add USERNAME --role archivist [--name 姓名]。"""
    try:
        user = context.accounts.add_user(username, password, role, display_name)
    except AccountError as error:
        click.echo(f"错误：{error}", err=True)
        sys.exit(1)
    context.audit.record("cli", "user.add", f"user:{user.username}", role=user.role)
    click.echo(f"已添加账号 {user.username}（{ROLE_NAMES[user.role]}）。")


@user_group.command("list")
@click.pass_obj
def list_users(context: ArchiveContext) -> None:
    """列出所有账号。"""
    for user in context.accounts.list_users():
        state = "已停用" if user.disabled else "正常"
        click.echo(f"{user.username}\t{ROLE_NAMES[user.role]}\t{state}\t{user.display_name}")
