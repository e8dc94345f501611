"""Password hashing with Argon2id at the OWASP Password Storage Cheat Sheet strength
(m=19 MiB, t=2, p=1), plus the password rules shown to users."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16)
MIN_LENGTH = 10
# Verified against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = HASHER.hash("not-a-real-password-0")


def hash_password(password: str) -> str:
    """The Argon2id hash string of `password`."""
    return HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Does `password` match `stored_hash`?  (None = unknown user: still spends the time.)"""
    try:
        return HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Was this hash made with weaker parameters than today's?"""
    return HASHER.check_needs_rehash(stored_hash)


def password_problem(password: str, username: str = "") -> str | None:
    """Why this password may not be used (in Chinese), or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"密码至少需要 {MIN_LENGTH} 个字符"
    if len(password) > 256:
        return "密码不能超过 256 个字符"
    if username and password.casefold() == username.casefold():
        return "密码不能与用户名相同"
    if len(set(password)) < 4:
        return "密码过于简单，请混用不同的字符"
    return None
