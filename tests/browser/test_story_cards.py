"""Every story card of the sample collection prints (Chromium's own PDF, A4) as exactly
one page, with a QR code that decodes (zbarimg) to the story's URL; a long story is cut
at a sentence with "（全文见二维码）", and a segment card points at its segment."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from archive.accounts.users import AccountStore
from archive.store import ContentStore

REPO = Path(__file__).resolve().parent.parent.parent
BASE_URL = "http://dangan.example.gov.cn"
ARTIFACTS = REPO / "test-artifacts" / "story-cards"
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def base(live_server, tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("cards")
    url = live_server(REPO, COOKIE_SECURE=False, BASE_URL=BASE_URL, INDEX_DIR=str(folder / "index"),
                      CACHE_DIR=str(folder / "cache"), INSTANCE_DIR=str(folder / "instance"))
    AccountStore(folder / "instance").add_user("archivist1", PASSWORD, "archivist", "档案员")
    return url


def printed(page, url: str, out: Path) -> tuple[int, str, str]:
    """(pages, decoded QR code, printed text) of a card printed to PDF by Chromium."""
    page.goto(url)
    page.pdf(path=str(out), format="A4", print_background=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(out, ARTIFACTS / out.name)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    subprocess.run(["pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "1", str(out), str(out.with_suffix(""))],
                   check=True)
    image = next(out.parent.glob(f"{out.stem}-*1.png"))
    scan = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True,
                          check=False)  # exit 4 = no code found: the assertion below says so
    decoded = scan.stdout.strip()
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return pages, decoded, "".join(text.split())


def test_every_story_card_is_one_a4_page_with_a_working_qr_code(base, make_page, tmp_path):
    page = make_page()
    page.goto(base + "/login")
    page.locator("#username").fill("archivist1")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_url(base + "/")
    stories = ContentStore(REPO).list_stories()
    assert len(stories) >= 10
    cut = 0
    for story in stories:
        pages, decoded, text = printed(page, f"{base}/stories/{story.slug}/card", tmp_path / f"{story.slug}.pdf")
        assert pages == 1, f"{story.slug}: {pages} pages"
        assert decoded == f"{BASE_URL}/stories/{story.slug}", story.slug
        assert "引用：" in text and "扫码读全文" in text
        cut += "（全文见二维码）" in text
    assert cut >= 3  # long interviews are cut at a sentence, not overflowing onto a second page
    story = next(s for s in stories if len(s.segments) > 2)
    segment = story.segments[1]
    pages, decoded, _text = printed(page, f"{base}/stories/{story.slug}/card?segment={segment.id}", tmp_path / "seg.pdf")
    assert pages == 1 and decoded == f"{BASE_URL}/stories/{story.slug}#{segment.id}"
