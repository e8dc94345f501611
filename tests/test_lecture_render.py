"""Every sample plan's Word and PowerPoint export, opened by LibreOffice headless and
printed to PDF (then PNG with pdftoppm), looks right: no empty slide, no page less
than half full except the last, the warnings present, and Chinese drawn as Chinese
(the zh-CN tags steer LibreOffice away from the Japanese glyph forms it uses for
untagged runs).  The pages are kept under test-artifacts/lecture-exports/ to look at."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from archive.lectures.deliveries import told_index
from archive.lectures.docx_export import WARNING_KINDS, plan_docx
from archive.lectures.exports import office_binary
from archive.lectures.files import LectureStore
from archive.lectures.pptx_export import plan_pptx
from archive.lectures.review import review_plan
from archive.store import ContentStore

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts" / "lecture-exports"
DPI = 24


def convert(folder: Path, files: list[Path]) -> None:
    """One LibreOffice run converts every file to PDF beside it."""
    binary = office_binary()
    assert binary, "LibreOffice is missing: run `make system-deps`"
    subprocess.run([binary, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *map(str, files)], check=True, capture_output=True, timeout=300)


def pages(pdf: Path) -> list[Image.Image]:
    """The PDF's pages as greyscale images."""
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(prefix)], check=True, timeout=120)
    names = sorted(pdf.parent.glob(f"{prefix.name}-*.png"))
    return [Image.open(name).convert("L") for name in names]


def ink_box(page: Image.Image) -> tuple[int, int, int, int] | None:
    """Bounding box of what is printed on a page (anything darker than near-white)."""
    return page.point(lambda v: 255 if v < 235 else 0).getbbox()


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, timeout=60).stdout
    return "".join(out.decode("utf-8").split())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """{plan id: (reviewed plan, docx pdf, pptx pdf)} for every sample plan of the repository."""
    folder = tmp_path_factory.mktemp("render")
    store = ContentStore(REPO)
    lectures = LectureStore(store)
    plans = lectures.list_plans()
    told = told_index(plans)
    files, reviewed = [], {}
    for plan in plans:
        review = review_plan(plan, store, "archivist", told)
        reviewed[plan.id] = review
        for suffix, build in (("docx", plan_docx), ("pptx", plan_pptx)):
            path = folder / f"{plan.id}-{suffix}.{suffix}"
            path.write_bytes(build(review, store.media_path))
            files.append(path)
    convert(folder, files)
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # no pages left over from an earlier run
    ARTIFACTS.mkdir(parents=True)
    for pdf in folder.glob("*.pdf"):
        shutil.copy(pdf, ARTIFACTS / pdf.name)
    return folder, reviewed


def test_every_sample_plan_is_rendered(rendered):
    folder, reviewed = rendered
    assert len(reviewed) >= 4
    for plan_id in reviewed:
        assert (folder / f"{plan_id}-docx.pdf").exists() and (folder / f"{plan_id}-pptx.pdf").exists()


def test_no_slide_is_empty_below_its_heading(rendered):
    folder, reviewed = rendered
    for plan_id, review in reviewed.items():
        slides = pages(folder / f"{plan_id}-pptx.pdf")
        assert len(slides) >= 1 + len([i for i in review.exported_items if i.kind != "text"])
        for number, slide in enumerate(slides, start=1):
            body = slide.crop((0, slide.height // 5, slide.width, slide.height))  # below the heading band
            assert ink_box(body) is not None, f"{plan_id} slide {number} shows only a heading"
            slide.save(ARTIFACTS / f"{plan_id}-slide-{number:02d}.png")


def test_no_word_page_is_less_than_half_full_except_the_last(rendered):
    folder, reviewed = rendered
    for plan_id in reviewed:
        sheets = pages(folder / f"{plan_id}-docx.pdf")
        for number, sheet in enumerate(sheets[:-1], start=1):
            box = ink_box(sheet)
            assert box is not None and box[3] > sheet.height * 0.5, f"{plan_id} page {number} is less than half full"
        for number, sheet in enumerate(sheets, start=1):
            sheet.save(ARTIFACTS / f"{plan_id}-page-{number:02d}.png")


def test_warnings_are_printed_in_the_word_script(rendered):
    folder, reviewed = rendered
    checked = 0
    for plan_id, review in reviewed.items():
        text = pdf_text(folder / f"{plan_id}-docx.pdf")
        for item in review.exported_items:
            for flag in item.flags:
                if flag.kind in WARNING_KINDS:
                    assert "".join(f"提示：{flag.message}".split()) in text
                    checked += 1
    assert checked >= 1  # the sample collection has at least one warned item


def test_chinese_runs_are_not_drawn_with_japanese_forms(rendered, tmp_path):
    folder, reviewed = rendered
    plan_id = next(iter(reviewed))
    ours = folder / f"{plan_id}-docx.docx"
    japanese = tmp_path / "japanese.docx"
    subprocess.run(["cp", str(ours), str(japanese)], check=True)
    _retag(japanese, "zh-CN", "ja-JP")
    convert(tmp_path, [japanese])
    first_ours, first_japanese = pages(folder / f"{plan_id}-docx.pdf")[0], pages(tmp_path / "japanese.pdf")[0]
    assert ImageChops.difference(first_ours, first_japanese).getbbox() is not None


def _retag(path: Path, old: str, new: str) -> None:
    import zipfile

    with zipfile.ZipFile(path) as package:
        contents = {name: package.read(name) for name in package.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in contents.items():
            package.writestr(name, data.replace(old.encode(), new.encode()) if name.endswith(".xml") else data)
