"""Login rate limiting: attempts are counted per user name and per client address in
the accounts database, so the limit holds across threads, processes and restarts.

An attempt is checked and counted in one write transaction before its password is
checked, so simultaneous guesses cannot all pass the check before any is counted.
It stays counted as a failure unless the login succeeds.
"""
from __future__ import annotations

import math
import sqlite3
import time

from archive.accounts.db import AccountsDB

WINDOW_SECONDS = 15 * 60
MAX_PER_USERNAME = 5
MAX_PER_ADDRESS = 20


def _name_key(username: str) -> str:
    """The user name as stored and looked up (the column compares case-insensitively)."""
    return username.strip()[:80]


class LoginLimiter:
    """Counts login attempts in a sliding window."""

    def __init__(self, db: AccountsDB, window: float = WINDOW_SECONDS,
                 per_username: int = MAX_PER_USERNAME, per_address: int = MAX_PER_ADDRESS):
        self.db, self.window = db, window
        self.per_username, self.per_address = per_username, per_address

    def begin_attempt(self, username: str, ip: str) -> int:
        """0 if a login may be tried now, and it is counted as failed until `succeeded`;
        else how many seconds until one may be tried (and nothing is counted)."""
        name = _name_key(username)
        with self.db.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")  # the write lock from the count to the insert
            now = time.time()  # read under the lock: an attempt stamped while we waited is never "later" than now
            conn.execute("DELETE FROM login_failures WHERE at < ?", (now - self.window,))
            wait = max(self._wait(conn, "username", name, self.per_username, now),
                       self._wait(conn, "ip", ip, self.per_address, now))
            if wait == 0:
                conn.execute("INSERT INTO login_failures (username, ip, at) VALUES (?, ?, ?)", (name, ip, now))
        return wait

    def _wait(self, conn: sqlite3.Connection, column: str, value: str, limit: int, now: float) -> int:
        """Seconds until fewer than `limit` attempts with this value are in the window."""
        row = conn.execute(f"SELECT at FROM login_failures WHERE {column} = ? ORDER BY at DESC LIMIT 1 OFFSET ?",
                           (value, limit - 1)).fetchone()
        return 0 if row is None else max(1, math.ceil(row["at"] + self.window - now))

    def succeeded(self, username: str) -> None:
        """Forget a user name's attempts (this one included) after a good login."""
        with self.db.connect() as conn:
            conn.execute("DELETE FROM login_failures WHERE username = ?", (_name_key(username),))
