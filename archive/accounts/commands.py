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


def _user_or_exit(context: ArchiveContext, username: str):
    user = context.accounts.by_name(username)
    if user is None:
        click.echo(f"错误：没有用户 {username}", err=True)
        sys.exit(1)
    return user


@user_group.command("password")
@click.argument("username")
@click.option("--password", prompt="新密码", hide_input=True, confirmation_prompt="再次输入新密码",
              help="新密码（不给出时交互输入，不回显）。")
@click.pass_obj
def set_password(context: ArchiveContext, username: str, password: str) -> None:
    """重设密码并退出该账号的所有登录（例如管理员忘记了密码）。"""
    user = _user_or_exit(context, username)
    try:
        context.accounts.set_password(user.id, password)
    except AccountError as error:
        click.echo(f"错误：{error}", err=True)
        sys.exit(1)
    context.audit.record("cli", "user.password", f"user:{user.username}")
    click.echo(f"已重设 {user.username} 的密码，其所有登录已退出。")


@user_group.command("disable")
@click.argument("username")
@click.pass_obj
def disable(context: ArchiveContext, username: str) -> None:
    """停用账号，立即结束它的所有登录。"""
    user = _user_or_exit(context, username)
    try:
        context.accounts.set_disabled(user.id, True)
    except AccountError as error:
        click.echo(f"错误：{error}", err=True)
        sys.exit(1)
    context.audit.record("cli", "user.disable", f"user:{user.username}")
    click.echo(f"已停用 {user.username}。")


@user_group.command("enable")
@click.argument("username")
@click.pass_obj
def enable(context: ArchiveContext, username: str) -> None:
    """重新启用一个停用的账号。"""
    user = _user_or_exit(context, username)
    context.accounts.set_disabled(user.id, False)
    context.audit.record("cli", "user.enable", f"user:{user.username}")
    click.echo(f"已启用 {user.username}。")
