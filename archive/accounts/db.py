"""The accounts database: one SQLite file in the instance folder, created on first use.

It holds users, their server-side login sessions and recent failed logins (for
rate limiting).  Each operation opens its own short connection, so threads of
the WSGI server and CLI processes never share one.

When the instance folder cannot be written, `open_read_only` opens the file with
SQLite's `mode=ro` and keeps sessions and failed logins in memory instead (for
as long as the process runs), so people can still sign in to a read-only site.
A write the storage refuses is raised as a StorageError, never as a bare
sqlite3.OperationalError.
"""
from __future__ import annotations

import errno
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext
from pathlib import Path
from urllib.parse import quote

from archive.safe_write import StorageError, probe_writable

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('admin', 'archivist', 'lecturer')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,          -- sha256 of the cookie's token; the token itself is never stored
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
CREATE TABLE IF NOT EXISTS login_failures (
    username TEXT NOT NULL COLLATE NOCASE,
    ip TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures(at);
"""
# Read-only mode: what a sign-in writes, in memory; `users` comes from the attached file.
MEMORY_SCHEMA = """
CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL, created_at REAL NOT NULL,
                       expires_at REAL NOT NULL);
CREATE TABLE login_failures (username TEXT NOT NULL COLLATE NOCASE, ip TEXT NOT NULL, at REAL NOT NULL);
"""
NO_USERS = ("CREATE TEMP VIEW users AS SELECT 0 AS id, '' AS username, '' AS display_name, '' AS role, "
            "'' AS password_hash, 0 AS disabled, '' AS created_at WHERE 0")  # no file: nobody can sign in
SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = 8, 10, 13, 14


class AccountsDB:
    """Opens connections to the accounts database, creating it on first use."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._ready = False
        self._memory: sqlite3.Connection | None = None  # read-only mode: keeps the in-memory tables alive
        self._memory_uri = ""
        self._file_uri: str | None = None
        self._lock = threading.RLock()  # read-only mode: one connection at a time on the shared memory

    @property
    def read_only(self) -> bool:
        """Opened with `open_read_only`."""
        return self._memory is not None

    @property
    def has_users(self) -> bool:
        """Is there a users table to sign in against (always, unless read-only without a file)?"""
        return not self.read_only or self._file_uri is not None

    def ensure(self) -> None:
        """Create the database file and tables if they do not exist yet."""
        if self._ready or self.read_only:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=15)) as conn, conn:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(SCHEMA)
            self.path.chmod(0o600)
        except sqlite3.OperationalError as error:
            self._raise_refused(error)
            raise
        self._ready = True

    def open_read_only(self) -> None:
        """Never write the file again: read users from it (`mode=ro`), keep sessions and failed logins in memory."""
        self._memory_uri = f"file:accounts-{secrets.token_hex(8)}?mode=memory&cache=shared"
        self._memory = sqlite3.connect(self._memory_uri, uri=True, check_same_thread=False)
        self._memory.executescript(MEMORY_SCHEMA)
        self._file_uri = self._readable_uri()

    def _readable_uri(self) -> str | None:
        """`mode=ro`, or also `immutable=1` for a WAL file whose -shm cannot be made; None if unreadable."""
        if not self.path.is_file():
            return None
        uri = f"file:{quote(str(self.path))}?mode=ro"
        for candidate in (uri, uri + "&immutable=1"):
            try:
                with closing(sqlite3.connect(candidate, uri=True)) as conn:
                    conn.execute("SELECT COUNT(*) FROM users").fetchone()
                return candidate
            except sqlite3.Error:
                continue
        return None

    def _open(self) -> sqlite3.Connection:
        if not self.read_only:
            self.ensure()
            return sqlite3.connect(self.path, timeout=15)
        conn = sqlite3.connect(self._memory_uri, uri=True, timeout=15)
        if self._file_uri:
            conn.execute("ATTACH DATABASE ? AS accounts", (self._file_uri,))  # `users` resolves to the file
        else:
            conn.execute(NO_USERS)
        return conn

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one transaction (committed on success, rolled back on error)."""
        with self._lock if self.read_only else nullcontext():
            conn = self._open()
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys=ON")
            try:
                with conn:
                    yield conn
            except sqlite3.OperationalError as error:
                self._raise_refused(error)
                raise
            finally:
                conn.close()

    def _raise_refused(self, error: sqlite3.OperationalError) -> None:
        """Raise the StorageError behind an SQLite failure to write (read-only, full disk); else return."""
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        if code == SQLITE_READONLY:
            raise StorageError(errno.EROFS, self.path) from error
        if code not in (SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN):
            return
        try:  # a full disk often reaches SQLite as "disk I/O error": ask the disk itself
            probe_writable(self.path.parent, 64 * 1024)
        except StorageError as refused:
            raise refused from error
        if code == SQLITE_FULL:
            raise StorageError(errno.ENOSPC, self.path) from error
