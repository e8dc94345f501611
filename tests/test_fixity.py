"""Fixity (issue 11): a generated archive of 2,000+ files; one bit flipped in a photo, a story
truncated, a file deleted and a stray file added are each reported once, with the right kind;
saves, uploads and lecture plans through the app raise no false alarm."""
from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
from PIL import Image

from archive.context import ArchiveContext, ArchivePaths
from archive.uploads import PhotoUpload, add_photos
from tests.conftest import STORY

STORIES, PEOPLE, PHOTOS = 700, 300, 1100


def _jpeg(seed: int) -> bytes:
    image = Image.new("RGB", (8, 8), (seed % 256, (seed * 7) % 256, 90))
    data = io.BytesIO()
    image.save(data, "JPEG")
    return data.getvalue()


@pytest.fixture(scope="module")
def big_root(tmp_path_factory) -> Path:
    """2,100 content files: stories, people, photos under Chinese folder names, a vocabulary."""
    root = tmp_path_factory.mktemp("fixity") / "archive"
    for folder in ("stories", "people", "media/老照片", "vocabularies"):
        (root / folder).mkdir(parents=True)
    text = STORY.lstrip("\n")
    for n in range(STORIES):
        (root / "stories" / f"s{n:04d}.md").write_text(text.replace("跨过鸭绿江", f"跨过鸭绿江{n}"), encoding="utf-8")
    for n in range(PEOPLE):
        (root / "people" / f"p{n:04d}.md").write_text(f"---\nname: 老兵{n}\n---\n第{n}位。\n", encoding="utf-8")
    for n in range(PHOTOS):
        (root / "media" / "老照片" / f"照片{n:04d}.jpg").write_bytes(_jpeg(n))
    (root / "vocabularies" / "places.yaml").write_text("- 长津湖\n", encoding="utf-8")
    return root


def _fixity(run_cli, root: Path, *args: str):
    return run_cli("fixity", *args, root=root)


def test_a_root_without_a_manifest_says_so_and_exits_2(run_cli, archive_root):
    result = _fixity(run_cli, archive_root)
    assert result.exit_code == 2 and "还没有固定性清单" in result.output and "--init" in result.output


def test_each_fault_is_reported_once_with_its_kind(run_cli, big_root, tmp_path):
    assert _fixity(run_cli, big_root, "--init").exit_code == 0
    clean = _fixity(run_cli, big_root)
    assert clean.exit_code == 0, clean.output
    assert clean.output.splitlines() == [f"固定性检查通过：{STORIES + PEOPLE + PHOTOS + 1} 个文件（"
                                         + clean.output.split("（", 1)[1].strip()]
    photo = big_root / "media" / "老照片" / "照片0500.jpg"
    data = bytearray(photo.read_bytes())
    data[len(data) // 2] ^= 0x04  # one bit
    photo.write_bytes(bytes(data))
    story = big_root / "stories" / "s0042.md"
    story.write_bytes(story.read_bytes()[:40])
    (big_root / "people" / "p0007.md").unlink()
    (big_root / "media" / "老照片" / "stray.jpg").write_bytes(b"not from the app")
    found = _fixity(run_cli, big_root)
    assert found.exit_code == 1
    problems = [line for line in found.output.splitlines() if line.split(" ")[0] in ("changed", "missing", "untracked")]
    assert sorted(problems) == sorted(["changed media/老照片/照片0500.jpg", "changed stories/s0042.md",
                                       "missing people/p0007.md", "untracked media/老照片/stray.jpg"])
    assert "发现 4 个问题" in found.output
    as_json = json.loads(_fixity(run_cli, big_root, "--json").output)
    assert as_json["ok"] is False and as_json["counts"] == {"changed": 2, "missing": 1, "untracked": 1}
    assert {"kind": "untracked", "path": "media/老照片/stray.jpg"} in as_json["problems"]


def test_accept_records_a_deliberate_change_with_the_name_in_the_audit_log(run_cli, archive_root, tmp_path):
    assert _fixity(run_cli, archive_root, "--init").exit_code == 0
    story = archive_root / "stories" / "kua-guo-ya-lu-jiang.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n补记一句。\n", encoding="utf-8")
    assert _fixity(run_cli, archive_root).output.startswith("changed stories/kua-guo-ya-lu-jiang.md")
    accepted = _fixity(run_cli, archive_root, "--accept", "--by", "张档案员", "stories/kua-guo-ya-lu-jiang.md")
    assert accepted.exit_code == 0, accepted.output
    assert _fixity(run_cli, archive_root).exit_code == 0
    audit = (archive_root / "instance" / "audit.jsonl").read_text(encoding="utf-8")
    entry = json.loads(audit.splitlines()[-1])
    assert entry["who"] == "张档案员" and entry["action"] == "fixity.accept"
    assert entry["target"] == "stories/kua-guo-ya-lu-jiang.md"
    refused = _fixity(run_cli, archive_root, "--accept", "../outside.txt")
    assert refused.exit_code == 2 and "不是档案内容文件" in refused.output


def test_saves_uploads_and_plans_through_the_app_raise_no_alarm(run_cli, archive_root, tmp_path):
    assert _fixity(run_cli, archive_root, "--init").exit_code == 0
    context = ArchiveContext(ArchivePaths.for_root(archive_root, index_dir=tmp_path / "ix"))
    story = context.store.get_story("kua-guo-ya-lu-jiang")
    story.body += "\n[00:20:00] 又补充了一段回忆。\n"
    story = context.editor.save_story(story, story.version, "archivist1")
    add_photos(context.editor, context.store, story, [PhotoUpload("老照片.jpg", _jpeg(random.randrange(999)))],
               "archivist1", story.version)
    context.editor.create_person("li-si", {"name": "李四"}, "李四，1930年生。", "archivist1")
    from archive.lectures.plan import LecturePlan

    plan = LecturePlan(id=context.lectures.new_id(), title="进校园")
    context.lectures.save(plan)
    result = _fixity(run_cli, archive_root)
    assert result.exit_code == 0, result.output
    assert context.lectures.delete(plan.id)
    assert _fixity(run_cli, archive_root).exit_code == 0


def test_fixity_help_explains_the_lines_and_exit_codes(run_cli, archive_root):
    text = _fixity(run_cli, archive_root, "--help").output
    assert "changed PATH" in text and "退出码" in text and "--accept" in text


def test_the_admin_page_shows_the_last_check_and_what_it_found(app, client, login, archive_root, tmp_path):
    from click.testing import CliRunner

    from archive.cli import cli

    run = CliRunner(env={"ARCHIVE_INSTANCE_DIR": str(tmp_path / "instance")})
    login(client, "admin")
    assert "还没有固定性清单" in client.get("/admin/preservation").get_data(as_text=True)
    assert run.invoke(cli, ["--root", str(archive_root), "fixity", "--init"]).exit_code == 0
    (archive_root / "people" / "wang-jianguo.md").unlink()
    assert run.invoke(cli, ["--root", str(archive_root), "fixity"]).exit_code == 1
    page = client.get("/admin/preservation").get_data(as_text=True)
    assert "上次检查" in page and "发现 1 个问题" in page and "people/wang-jianguo.md" in page and "文件缺失" in page
    reader = app.test_client()
    assert reader.get("/admin/preservation").status_code in (302, 403)
    login(reader, "archivist")
    assert reader.get("/admin/preservation").status_code == 403


def test_a_vocabulary_saved_on_the_web_raises_no_alarm(app, client, login, archive_root, tmp_path):
    from click.testing import CliRunner

    from archive.cli import cli

    run = CliRunner(env={"ARCHIVE_INSTANCE_DIR": str(tmp_path / "instance")})
    assert run.invoke(cli, ["--root", str(archive_root), "fixity", "--init"]).exit_code == 0
    token = login(client, "archivist")
    saved = client.post("/edit/vocabularies", data={"csrf_token": token, "conflicts": "抗美援朝战争\n长津湖战役"})
    assert saved.status_code == 302
    assert list((archive_root / "vocabularies").iterdir())
    result = run.invoke(cli, ["--root", str(archive_root), "fixity"])
    assert result.exit_code == 0, result.output
