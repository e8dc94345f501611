"""The CLI finds the same folders as the web app: ARCHIVE_INSTANCE_DIR and
ARCHIVE_CACHE_DIR mean the same thing to `archive user add` as to `archive serve`."""
from __future__ import annotations

from conftest import csrf_token_of

from archive import create_app


def test_instance_dir_from_the_environment_is_shared_by_cli_and_app(run_cli, archive_root, tmp_path, monkeypatch):
    instance = tmp_path / "elsewhere" / "instance"
    monkeypatch.setenv("ARCHIVE_INSTANCE_DIR", str(instance))
    result = run_cli("user", "add", "linxiao", "--role", "archivist", "--password", "correct-horse-battery-9")
    assert result.exit_code == 0, result.output
    assert not (archive_root / "instance").exists()
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(archive_root), "INDEX_DIR": str(tmp_path / "index")})
    assert app.config["INSTANCE_DIR"] == str(instance.resolve())
    client = app.test_client()
    answer = client.post("/login", data={"username": "linxiao", "password": "correct-horse-battery-9",
                                         "csrf_token": csrf_token_of(client)})
    assert answer.status_code == 302, "the account the CLI added signs in to the app"
