"""Users and their server-side login sessions.

A session is a random token kept in the (signed) cookie; the database keeps
only its SHA-256.  Logging out deletes the row, disabling a user deletes all
of that user's rows, so a copied cookie stops working at once.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from archive.access import ROLES
from archive.accounts.db import AccountsDB
from archive.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$")
ROLE_NAMES = {"admin": "管理员", "archivist": "档案员", "lecturer": "宣讲员"}


class AccountError(ValueError):
    """Input a user or admin can get wrong: the message is shown as is (Chinese)."""


@dataclass(frozen=True)
class User:
    """A signed-in person; `role` is what archive.access reads."""

    id: int
    username: str
    display_name: str
    role: str
    disabled: bool
    created_at: str

    @property
    def label(self) -> str:
        """The name shown on pages."""
        return self.display_name or self.username

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)

    @property
    def is_archivist(self) -> bool:
        """May edit stories (archivists and administrators)."""
        return self.role in ("admin", "archivist")


def _user(row) -> User:
    return User(row["id"], row["username"], row["display_name"], row["role"], bool(row["disabled"]),
                row["created_at"])


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


class AccountStore:
    """Users, passwords and sessions in the instance folder's accounts.sqlite3."""

    def __init__(self, instance_dir: Path):
        self.db = AccountsDB(Path(instance_dir) / "accounts.sqlite3")

    # -- users ----------------------------------------------------------
    def add_user(self, username: str, password: str, role: str, display_name: str = "") -> User:
        """Create an account; raise AccountError with a Chinese message on bad input."""
        username = username.strip()
        if not USERNAME.match(username):
            raise AccountError("用户名须为 2–40 个英文字母、数字、点、下划线或连字符，且以字母或数字开头")
        if role not in ROLES:
            raise AccountError(f"角色只能是 {' / '.join(ROLES)}")
        problem = password_problem(password, username)
        if problem:
            raise AccountError(problem)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.db.connect() as conn:
            if conn.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
                raise AccountError(f"用户名 {username} 已存在")
            cursor = conn.execute(
                "INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                (username, display_name.strip()[:60], role, hash_password(password), now))
            user_id = cursor.lastrowid
        user = self.get(user_id)
        assert user is not None
        return user

    def get(self, user_id: int) -> User | None:
        """The user with this id, or None."""
        with self.db.connect() as conn:
            row = conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return _user(row) if row else None

    def by_name(self, username: str) -> User | None:
        """The user with this user name (case-insensitive), or None."""
        with self.db.connect() as conn:
            row = conn.execute("SELECT * FROM users WHERE username = ?", (username.strip(),)).fetchone()
        return _user(row) if row else None

    def list_users(self) -> list[User]:
        """Every account, by user name."""
        with self.db.connect() as conn:
            rows = conn.execute("SELECT * FROM users ORDER BY username").fetchall()
        return [_user(row) for row in rows]

    def count(self) -> int:
        """How many accounts exist."""
        with self.db.connect() as conn:
            return conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]

    def authenticate(self, username: str, password: str) -> User | None:
        """The enabled user with these credentials, or None (same time either way)."""
        with self.db.connect() as conn:
            row = conn.execute("SELECT * FROM users WHERE username = ?", (username.strip(),)).fetchone()
        if not verify_password(row["password_hash"] if row else None, password) or row is None:
            return None
        if row["disabled"]:
            return None
        if needs_rehash(row["password_hash"]):
            self._store_hash(row["id"], hash_password(password))
        return _user(row)

    def _store_hash(self, user_id: int, password_hash: str) -> None:
        with self.db.connect() as conn:
            conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id))

    def set_password(self, user_id: int, password: str) -> None:
        """Change a password and end every session of that user."""
        user = self.get(user_id)
        if user is None:
            raise AccountError("没有这个用户")
        problem = password_problem(password, user.username)
        if problem:
            raise AccountError(problem)
        self._store_hash(user_id, hash_password(password))
        self.end_sessions_of(user_id)

    def set_role(self, user_id: int, role: str) -> None:
        """Change a user's role; refuses to leave the archive without an enabled administrator."""
        if role not in ROLES:
            raise AccountError(f"角色只能是 {' / '.join(ROLES)}")
        with self.db.connect() as conn:
            self._keep_an_admin(conn, user_id, role=role)
            conn.execute("UPDATE users SET role = ? WHERE id = ?", (role, user_id))

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        """Disable (ending every session at once) or re-enable an account."""
        with self.db.connect() as conn:
            if disabled:
                self._keep_an_admin(conn, user_id)
            conn.execute("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user_id))
            if disabled:
                conn.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))

    @staticmethod
    def _keep_an_admin(conn, user_id: int, role: str | None = None) -> None:
        others = conn.execute("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id != ?",
                              (user_id,)).fetchone()[0]
        target = conn.execute("SELECT role FROM users WHERE id = ?", (user_id,)).fetchone()
        if target is None:
            raise AccountError("没有这个用户")
        if target["role"] == "admin" and role != "admin" and others == 0:
            raise AccountError("至少要保留一个可用的管理员账号")

    # -- sessions -------------------------------------------------------
    def start_session(self, user: User, hours: float) -> str:
        """A new session token for `user`, valid for `hours`."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        with self.db.connect() as conn:
            conn.execute("DELETE FROM sessions WHERE expires_at < ?", (now,))
            conn.execute("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                         (_token_hash(token), user.id, now, now + hours * 3600))
        return token

    def session_user(self, token: str) -> User | None:
        """The enabled user of a live session, or None (unknown, expired or ended)."""
        with self.db.connect() as conn:
            row = conn.execute(
                "SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id "
                "WHERE sessions.token_hash = ? AND sessions.expires_at > ? AND users.disabled = 0",
                (_token_hash(token), time.time())).fetchone()
        return _user(row) if row else None

    def end_session(self, token: str) -> None:
        """Log out one session."""
        with self.db.connect() as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))

    def end_sessions_of(self, user_id: int) -> None:
        """End every session of a user."""
        with self.db.connect() as conn:
            conn.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))
