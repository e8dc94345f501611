"""Configuration is read in one place, and the domain does not import Flask (issue 10)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from archive.config import SETTINGS, load_settings

PACKAGE = Path(__file__).resolve().parent.parent / "archive"


def test_importing_the_domain_does_not_import_flask():
    code = "import sys, archive.segments, archive.store, archive.editing, archive.merging; print('flask' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=PACKAGE.parent)
    assert result.stdout.strip() == "False"


def test_only_archive_config_reads_archive_settings_from_the_environment():
    readers = [str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
               if re.search(r"os\.environ\.get|os\.getenv|environ\[\"ARCHIVE_", path.read_text(encoding="utf-8"))]
    assert readers == []  # archive.config reads the mapping it is given (os.environ by default)


def test_every_setting_has_its_archive_variable_and_defaults():
    assert all(s.env.startswith("ARCHIVE_") for s in SETTINGS)
    settings = load_settings({"ARCHIVE_ROOT": "."}, environ={})
    assert settings["TIMEZONE"] == "Asia/Shanghai" and settings["PROXY_HOPS"] == 0
    assert settings["BASE_URL"] == "http://localhost" and not settings["BASE_URL_GIVEN"]
    assert load_settings({}, environ={"ARCHIVE_PROXY_HOPS": "２"})["PROXY_HOPS"] == 2


@pytest.mark.parametrize(("env", "message"), [({"ARCHIVE_PROXY_HOPS": "¹"}, "ARCHIVE_PROXY_HOPS"),
                                              ({"ARCHIVE_TIMEZONE": "Mars/Base"}, "ARCHIVE_TIMEZONE"),
                                              ({"ARCHIVE_BASE_URL": "dangan"}, "ARCHIVE_BASE_URL")])
def test_a_bad_setting_is_refused_with_its_name(env, message):
    with pytest.raises(ValueError, match=message):
        load_settings({}, environ=env)
