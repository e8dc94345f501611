"""Administrators manage accounts (add, change role, disable or enable, reset password), see
the files the site skipped because it could not read them, see the state of preservation
(fixity, git) and purge a story or person whose consent was withdrawn."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from archive.access import ROLES
from archive.accounts import ROLE_NAMES, AccountError, admin_required
from archive.context import current_context
from archive.preservation.purge import PurgeError, describe, plan_purge, purge
from archive.preservation.status import preservation_status

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


@bp.route("/preservation")
@admin_required
def preservation():
    """Fixity manifest, the last check and what it found, git replication, and the purge form."""
    return render_template("admin/preservation.html", status=preservation_status(current_context()))


def _purge_request():
    kind = request.form.get("kind")
    if kind not in ("stories", "people"):
        abort(400)
    return kind, request.form.get("slug", "").strip()


@bp.route("/preservation/purge", methods=["POST"])
@admin_required
def purge_confirm():
    """Step one: show what will be removed and ask for the reason and the slug typed again."""
    kind, slug = _purge_request()
    try:
        plan = plan_purge(current_context(), kind, slug)
    except PurgeError as error:
        return render_template("admin/preservation.html", status=preservation_status(current_context()),
                               error=str(error), slug=slug), 404
    return render_template("admin/purge.html", plan=plan, lines=describe(plan), error=None)


@bp.route("/preservation/purge/confirmed", methods=["POST"])
@admin_required
def purge_confirmed():
    """Step two: purge, if the slug was typed again and a reason given."""
    context = current_context()
    kind, slug = _purge_request()
    try:
        plan = plan_purge(context, kind, slug)
    except PurgeError:
        abort(404)
    reason = request.form.get("reason", "")
    try:
        if request.form.get("confirm", "").strip() != slug:
            raise PurgeError(f"请在确认框中输入编号 {slug}")
        purge(context, plan, g.user.username, reason)
    except PurgeError as error:
        return render_template("admin/purge.html", plan=plan, lines=describe(plan), error=str(error),
                               reason=reason), 400
    pages = current_app.extensions["page_cache"]
    with pages.lock:  # no rendered page keeps the text in memory
        pages.pages.clear()
    flash(f"已永久清除 {slug}，审计日志留有清除记录。", "info")
    return redirect(url_for("admin.preservation"))
