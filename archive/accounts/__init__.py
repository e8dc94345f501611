"""Accounts: users and roles, server-side sessions, login rate limiting, CSRF and
security headers.  Views protect themselves with `login_required`,
`archivist_required`, `admin_required` or `role_required(...)`; templates put
`{{ csrf_field() }}` in every POST form (JavaScript sends the X-CSRF-Token header).
"""
from archive.accounts.users import ROLE_NAMES, AccountError, AccountStore, User
from archive.accounts.web import (
    admin_required,
    archivist_required,
    csrf_field,
    csrf_token,
    init_app,
    login_required,
    role_required,
)

__all__ = ["ROLE_NAMES", "AccountError", "AccountStore", "User", "admin_required", "archivist_required",
           "csrf_field", "csrf_token", "init_app", "login_required", "role_required"]
