"""Login rate limiting: failed attempts are counted per user name and per client
address in the accounts database, so the limit holds across threads, processes
and restarts."""
from __future__ import annotations

import time

from archive.accounts.db import AccountsDB

WINDOW_SECONDS = 15 * 60
MAX_PER_USERNAME = 5
MAX_PER_ADDRESS = 20


class LoginLimiter:
    """Counts failed logins in a sliding window."""

    def __init__(self, db: AccountsDB, window: float = WINDOW_SECONDS,
                 per_username: int = MAX_PER_USERNAME, per_address: int = MAX_PER_ADDRESS):
        self.db, self.window = db, window
        self.per_username, self.per_address = per_username, per_address

    def wait_seconds(self, username: str, ip: str) -> int:
        """0 if a login may be tried now, else how many seconds until it may."""
        now = time.time()
        since = now - self.window
        with self.db.connect() as conn:
            conn.execute("DELETE FROM login_failures WHERE at < ?", (since,))
            by_name = conn.execute("SELECT at FROM login_failures WHERE username = ? AND at >= ? ORDER BY at",
                                   (username.strip(), since)).fetchall()
            by_ip = conn.execute("SELECT at FROM login_failures WHERE ip = ? AND at >= ? ORDER BY at",
                                 (ip, since)).fetchall()
        waits = [0.0]
        if len(by_name) >= self.per_username:
            waits.append(by_name[-self.per_username]["at"] + self.window - now)
        if len(by_ip) >= self.per_address:
            waits.append(by_ip[-self.per_address]["at"] + self.window - now)
        return max(0, int(max(waits)) + (1 if max(waits) > 0 else 0))

    def failed(self, username: str, ip: str) -> None:
        """Record one failed attempt."""
        with self.db.connect() as conn:
            conn.execute("INSERT INTO login_failures (username, ip, at) VALUES (?, ?, ?)",
                         (username.strip()[:80], ip, time.time()))

    def succeeded(self, username: str) -> None:
        """Forget a user name's failures after a good login."""
        with self.db.connect() as conn:
            conn.execute("DELETE FROM login_failures WHERE username = ?", (username.strip(),))
