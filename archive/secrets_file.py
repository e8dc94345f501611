"""The instance secret key: made once, kept in the instance folder."""
from __future__ import annotations

import secrets
from pathlib import Path

from archive.safe_write import atomic_write_text


def instance_secret(instance_dir: Path) -> str:
    """Read instance/secret_key, creating it (mode 0600) on first start."""
    path = Path(instance_dir) / "secret_key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_hex(32)
    atomic_write_text(path, key + "\n")
    path.chmod(0o600)
    return key
