"""Export and restore (issue 11): a BagIt bag of the sample archive, fully validated by `bagit`,
restores into a root that passes `archive check` and `archive fixity` and searches the same;
a tampered bag is refused, naming the file; public bags leave restricted material out."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import bagit
import pytest
from click.testing import CliRunner

from archive import create_app
from archive.accounts.users import AccountStore
from archive.cli import cli
from archive.context import ArchiveContext, ArchivePaths
from archive.versions import History

SAMPLE = Path(__file__).resolve().parent.parent
FOLDERS = ("stories", "people", "media", "collections", "lectures", "vocabularies")
QUERIES = ["长津湖", "军人", "老兵", "鸭绿江", "白秀珍", "冲锋", "党员 入党", "\"上甘岭\""]
EDITED = "chen-zhiyuan-jiu-jiang-da-di"
CHINESE_PHOTO = "老照片/一九五〇年·合影.jpg"
RESTRICTED = "gao-ming-shang-can-zheng"  # access: restricted in the sample


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    """A copy of the sample archive, with one photo under a Chinese name, a manifest and an admin."""
    root = tmp_path_factory.mktemp("orig") / "archive"
    for folder in FOLDERS:
        shutil.copytree(SAMPLE / folder, root / folder)
    photo = next((root / "media").rglob("*.jpg"))
    (root / "media" / CHINESE_PHOTO).parent.mkdir()
    shutil.copy2(photo, root / "media" / CHINESE_PHOTO)
    AccountStore(root / "instance").add_user("admin1", "correct-horse-battery", "admin")
    context = ArchiveContext(ArchivePaths.for_root(root, index_dir=root.parent / "ix"))
    story = context.store.get_story(EDITED)
    story.body += "\n补记：这一段是档案员后来补充的。\n"
    context.editor.save_story(story, story.version, "admin1", "补记一段")
    assert _run(root, "fixity", "--init").exit_code == 0
    return root


def _run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)


def _hits(root: Path) -> list:
    assert _run(root, "index", "--rebuild").exit_code == 0
    return [[(h["slug"], round(h["score"], 4)) for h in json.loads(_run(root, "search", q, "--json").output)["hits"]]
            for q in QUERIES]


@pytest.fixture(scope="module")
def full_bag(original, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bags") / "全档案"
    result = _run(original, "export", "--bag", str(out), "--include-restricted", "--user", "admin1")
    assert result.exit_code == 0, result.output
    return out


def test_the_full_bag_validates_and_says_what_it_holds(full_bag, original):
    bag = bagit.Bag(str(full_bag))
    bag.validate()  # every SHA-256 and SHA-512 re-computed
    assert set(bag.algorithms) == {"sha256", "sha512"}
    assert bag.info["Story-Count"] == str(len(list((original / "stories").glob("*.md"))))
    assert bag.info["Exported-By"] == "admin1" and bag.info["Export-Date"][:2] == "20"
    assert (full_bag / "data" / "stories" / f"{RESTRICTED}.md").is_file()
    assert not list(full_bag.rglob("accounts*")), "the account database never leaves"
    assert (full_bag / "data" / "media" / CHINESE_PHOTO).is_file()


def test_restore_gives_a_root_that_checks_and_searches_the_same(full_bag, original, tmp_path):
    new_root = tmp_path / "恢复"
    restored = _run(tmp_path, "restore", str(full_bag), str(new_root))
    assert restored.exit_code == 0, restored.output
    assert (new_root / "media" / CHINESE_PHOTO).read_bytes() == (original / "media" / CHINESE_PHOTO).read_bytes()
    assert _run(new_root, "check").exit_code == 0
    fixity = _run(new_root, "fixity")
    assert fixity.exit_code == 0, fixity.output
    expected = _hits(original)
    assert sum(map(len, expected)) > 10 and _hits(new_root) == expected
    app = create_app({"TESTING": True, "ARCHIVE_ROOT": str(new_root), "INDEX_DIR": str(tmp_path / "ix2"),
                      "CACHE_DIR": str(tmp_path / "cache2"), "INSTANCE_DIR": str(new_root / "instance")})
    page = app.test_client().get(f"/stories/{EDITED}")
    assert page.status_code == 200 and "补记：这一段" in page.get_data(as_text=True)
    kept = History(new_root).versions("stories", EDITED)
    assert [v.message for v in kept] == [v.message for v in History(original).versions("stories", EDITED)]
    assert kept[0].message == "补记一段" and "补记：这一段" in (new_root / "stories" / f"{EDITED}.md").read_text()


def test_a_tampered_bag_is_refused_naming_the_file(full_bag, tmp_path):
    tampered = tmp_path / "tampered"
    shutil.copytree(full_bag, tampered)
    story = tampered / "data" / "stories" / "bai-xiuzhen-hai-ba-si-qian-mi-de-zong-ji.md"
    story.write_text(story.read_text(encoding="utf-8").replace("的", "地", 1), encoding="utf-8")
    refused = _run(tmp_path, "restore", str(tampered), str(tmp_path / "new"))
    assert refused.exit_code == 1
    assert "未通过校验" in refused.output and "data/stories/bai-xiuzhen-hai-ba-si-qian-mi-de-zong-ji.md" in refused.output
    assert not (tmp_path / "new").exists()


def test_a_public_bag_leaves_restricted_material_out(original, tmp_path):
    out = tmp_path / "public"
    assert _run(original, "export", "--bag", str(out)).exit_code == 0
    bag = bagit.Bag(str(out))
    assert bag.is_valid() and bag.info["Access-Scope"] == "public-only"
    assert not (out / "data" / "stories" / f"{RESTRICTED}.md").exists()
    assert not (out / "data" / "lectures").exists() and not (out / "data" / "history").exists()
    restricted_text = (original / "stories" / f"{RESTRICTED}.md").read_text(encoding="utf-8").split("---")[-1][:40]
    assert all(restricted_text not in p.read_text(errors="ignore") for p in out.rglob("*.md"))


def test_a_selection_and_refusals(original, tmp_path):
    one = tmp_path / "one"
    picked = _run(original, "export", "--bag", str(one), "--story", "chen-zhiyuan-jiu-jiang-da-di")
    assert picked.exit_code == 0, picked.output
    assert [p.name for p in (one / "data" / "stories").iterdir()] == ["chen-zhiyuan-jiu-jiang-da-di.md"]
    hidden = _run(original, "export", "--bag", str(tmp_path / "x"), "--story", RESTRICTED)
    assert hidden.exit_code == 1 and "--include-restricted" in hidden.output
    nobody = _run(original, "export", "--bag", str(tmp_path / "y"), "--include-restricted")
    assert nobody.exit_code == 2 and "--user" in nobody.output
