"""Administrators manage accounts (add, change role, disable or enable, reset password) and see
the files the site skipped because it could not read them."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from archive.access import ROLES
from archive.accounts import ROLE_NAMES, AccountError, admin_required
from archive.context import current_context

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _users_page(errors: dict[str, str] | None = None, form: dict | None = None, status: int = 200):
    users = current_context().accounts.list_users()
    return render_template("admin/users.html", users=users, roles=ROLES, role_names=ROLE_NAMES,
                           errors=errors or {}, form=form or {}), status


@bp.route("/users")
@admin_required
def users():
    """Every account, with the form to add one."""
    return _users_page()


@bp.route("/users", methods=["POST"])
@admin_required
def add_user():
    """Create an account."""
    context = current_context()
    form = request.form
    try:
        user = context.accounts.add_user(form.get("username", ""), form.get("password", ""),
                                         form.get("role", ""), form.get("display_name", ""))
    except AccountError as error:
        return _users_page({"add": str(error)}, form.to_dict(), 400)
    context.audit.record(g.user.username, "user.add", f"user:{user.username}", role=user.role)
    flash(f"已添加账号 {user.username}（{user.role_name}）。", "info")
    return redirect(url_for("admin.users"))


def _target(user_id: int):
    user = current_context().accounts.get(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>", methods=["POST"])
@admin_required
def change_user(user_id: int):
    """Change role, disable/enable or reset the password of one account."""
    context = current_context()
    user = _target(user_id)
    action = request.form.get("action")
    try:
        if action == "role":
            role = request.form.get("role", "")
            context.accounts.set_role(user.id, role)
            message = f"{user.username} 的角色已改为 {ROLE_NAMES.get(role, role)}。"
        elif action in ("disable", "enable"):
            context.accounts.set_disabled(user.id, action == "disable")
            message = f"账号 {user.username} 已{'停用，其登录已全部退出' if action == 'disable' else '启用'}。"
        elif action == "password":
            context.accounts.set_password(user.id, request.form.get("password", ""))
            message = f"已重设 {user.username} 的密码，其登录已全部退出。"
        else:
            abort(400)
    except AccountError as error:
        return _users_page({f"user-{user.id}": str(error)}, status=400)
    context.audit.record(g.user.username, f"user.{action}", f"user:{user.username}",
                         role=request.form.get("role") if action == "role" else None)
    flash(message, "info")
    return redirect(url_for("admin.users"))


@bp.route("/files")
@admin_required
def files():
    """Files the site could not read (and so does not show), each with its line and the problem."""
    return render_template("admin/files.html", problems=current_context().catalog.unreadable_files())
