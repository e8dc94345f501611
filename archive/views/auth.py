"""Signing in and out, and changing one's own password."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from archive.accounts import AccountError, login_required
from archive.accounts.ratelimit import LoginLimiter
from archive.accounts.web import is_same_site_path, sign_in, sign_out
from archive.context import current_context

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Where to go after login: `target` if it is a path on this site, else the home page."""
    return target if is_same_site_path(target or "") else url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The login form; failed attempts are rate-limited per user name and address."""
    next_url = request.values.get("next")
    if request.method == "GET":
        return render_template("auth/login.html", next=next_url, username="")
    context = current_context()
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    address = request.remote_addr or "unknown"
    limiter = LoginLimiter(context.accounts.db)
    wait = limiter.begin_attempt(username, address)
    if wait:
        minutes = max(1, -(-wait // 60))
        return render_template("auth/login.html", next=next_url, username=username,
                               error=f"登录失败次数过多，请 {minutes} 分钟后再试。"), 429
    user = context.accounts.authenticate(username, password)
    if user is None:  # the attempt stays counted
        context.audit.record(username or "?", "login.failed", f"user:{username}", address=address)
        return render_template("auth/login.html", next=next_url, username=username,
                               error="用户名或密码不正确，或账号已停用。"), 401
    limiter.succeeded(username)
    sign_in(user)
    context.audit.record(user.username, "login", f"user:{user.username}", address=address)
    flash(f"欢迎，{user.label}。", "info")
    return redirect(_safe_next(next_url))


@bp.route("/logout", methods=["POST"])
def logout():
    """End this session on the server."""
    user = g.get("user")
    sign_out()
    if user is not None:
        current_context().audit.record(user.username, "logout", f"user:{user.username}")
    flash("您已退出登录。", "info")
    return redirect(url_for("home.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password (ends every other session)."""
    if request.method == "GET":
        return render_template("auth/password.html")
    context = current_context()
    user = g.user
    if context.accounts.authenticate(user.username, request.form.get("current", "")) is None:
        return render_template("auth/password.html", errors={"current": "当前密码不正确"}), 400
    new, repeat = request.form.get("new", ""), request.form.get("repeat", "")
    if new != repeat:
        return render_template("auth/password.html", errors={"repeat": "两次输入的新密码不一致"}), 400
    try:
        context.accounts.set_password(user.id, new)
    except AccountError as error:
        return render_template("auth/password.html", errors={"new": str(error)}), 400
    context.audit.record(user.username, "user.password", f"user:{user.username}")
    sign_in(user)
    flash("密码已修改，其他设备上的登录已全部退出。", "info")
    return redirect(url_for("home.index"))
