"""The places that still stated a field's label, keys, choices or message on their own now take
them from archive/content_model.py (issue 10): the photo and recording pages, the consent of an
upload, the import and sheet-import messages, the access select and its message, the status
names, `archive check` of consent, the lecture plan's details form and the person page's service record.  Each test fails if the place drifts from the declaration."""
from __future__ import annotations

import dataclasses
import html
import io
import re

import pytest
from PIL import Image
from werkzeug.datastructures import MultiDict

from archive import content_model, importer, recording_uploads, uploads
from archive.content_model import (
    CONSENT_FIELDS,
    MEDIA_FIELDS,
    PERSON_FIELDS,
    PLAN_FIELDS,
    SERVICE_FIELDS,
    STORY_FIELDS,
    Field,
    choice_message,
    field,
    missing_message,
    slug_problem,
    slug_taken,
)
from archive.dates import DATE_HINT
from archive.exchange import sheet_import
from archive.lectures import plan_editing
from archive.lectures.plan import STATUS_LABELS, LecturePlan
from archive.story_form import parse_story_form
from archive.views import people

SLUG = "kua-guo-ya-lu-jiang"
LABELLED = re.compile(r'<label for="(?P<id>[\w-]+)">(?P<label>[^<]*)</label>')
OPTION = re.compile(r'<option value="(?P<value>[^"]*)"[^>]*>(?P<text>[^<]*)</option>')


def relabel(monkeypatch, record: str, key: str, **changes) -> Field:
    """Change one field of a record kind of the forms (what the templates read) for this test."""
    fields = content_model.FORM_FIELDS[record]
    changed = tuple(dataclasses.replace(f, **changes) if f.key == key else f for f in fields)
    monkeypatch.setitem(content_model.FORM_FIELDS, record, changed)
    return field(changed, key)


def labels_on(page: str) -> dict[str, str]:
    """input id -> its label's text."""
    return {m["id"]: html.unescape(m["label"]).strip() for m in LABELLED.finditer(page)}


def options_of(page: str, select_id: str) -> tuple[tuple[str, str], ...]:
    start = page.index(f'<select id="{select_id}"')
    return tuple((m["value"], html.unescape(m["text"])) for m in OPTION.finditer(page[start:page.index("</select>", start)]))


@pytest.fixture
def archivist(app, login):
    client = app.test_client()
    return client, login(client, "archivist")


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (120, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def _upload(client, token, **fields):
    version = client.application.extensions["archive"].store.get_story(SLUG).version
    data = {"csrf_token": token, "base_version": version, "photo-0": (io.BytesIO(_jpeg()), "合影.jpg"), **fields}
    return client.post(f"/edit/story/{SLUG}/photos", data=data, content_type="multipart/form-data")


# 1. the photo page and an upload's consent -----------------------------------------------------

def test_the_photo_page_labels_and_names_its_inputs_as_declared(archivist):
    client, token = archivist
    assert _upload(client, token).status_code == 302  # one photo, so the page has its edit row too
    page = _page(client, f"/edit/story/{SLUG}/photos")
    shown = labels_on(page)
    for key in ("caption", "date", "place", "people", "credit", "access"):
        assert shown[f"{key}-0"] == field(MEDIA_FIELDS, key).label, key
        assert shown[f"e-{key}-0"] == field(MEDIA_FIELDS, key).label, key
    for f in CONSENT_FIELDS:
        if f.kind == "flag":
            assert f'name="{f.input_name}-0" value="1" > {f.label}</label>' in page
        else:
            assert shown[f"{f.input_name}-0"] == f.label and f'name="{f.input_name}-0"' in page
    access = field(MEDIA_FIELDS, "access")
    assert options_of(page, "access-0") == options_of(page, "e-access-0") == access.options


def test_a_label_or_choice_name_changed_in_the_declaration_is_what_the_photo_page_shows(archivist, monkeypatch):
    client, token = archivist
    assert _upload(client, token, **{"access-0": "internal"}).status_code == 302
    relabel(monkeypatch, "media", "credit", label="来源")
    relabel(monkeypatch, "media", "access", choice_labels=("跟随故事", "内部读者", "仅档案员"))
    relabel(monkeypatch, "consent", "scope", label="使用范围")
    relabel(monkeypatch, "consent", "form_on_file", label="授权书已存档")
    page = _page(client, f"/edit/story/{SLUG}/photos")
    assert labels_on(page)["credit-1"] == "来源" and labels_on(page)["consent_scope-1"] == "使用范围"
    assert "> 授权书已存档</label>" in page
    assert [text for _, text in options_of(page, "access-1")] == ["跟随故事", "内部读者", "仅档案员"]
    assert '<span class="status-badge">内部读者</span>' in page  # the photo's own level, by its declared name


def test_an_uploads_consent_is_read_by_the_declared_fields(app, archivist):
    client, token = archivist
    typed = {"form_on_file": "1", "signed": "2024-01-02", "scope": "档案与教学", "posthumous": "身后可公开"}
    assert set(typed) == {f.key for f in CONSENT_FIELDS}
    response = _upload(client, token, **{f"{field(CONSENT_FIELDS, key).input_name}-0": value
                                         for key, value in typed.items()})
    assert response.status_code == 302
    entry = app.extensions["archive"].store.get_story(SLUG).meta["media"][-1]
    assert entry["consent"] == dict(typed, form_on_file=True)


def test_an_upload_reads_a_consent_field_added_to_the_declaration(monkeypatch):
    witness = Field("witness", "text", "见证人", name="consent_witness")
    monkeypatch.setattr(uploads, "CONSENT_FIELDS", CONSENT_FIELDS + (witness,))
    upload = uploads.PhotoUpload("a.jpg", b"", {"consent_witness": " 李 ", "consent_release_form": "1"})
    assert uploads.media_entry("photos/a.jpg", upload)["consent"] == {"form_on_file": True, "witness": "李"}


@pytest.mark.parametrize("key", ["date", "signed"])
def test_a_badly_typed_upload_date_is_named_by_its_declared_label(archivist, monkeypatch, key):
    client, token = archivist
    fields = MEDIA_FIELDS if key == "date" else CONSENT_FIELDS
    renamed = dataclasses.replace(field(fields, key), label="某某日期")
    monkeypatch.setattr(uploads, "DATED", tuple(renamed if f.key == key else f for f in uploads.DATED))
    response = _upload(client, token, **{f"{renamed.input_name}-0": "1953年夏"})
    assert response.status_code == 400 and "某某日期应为 ISO 日期" in response.get_data(as_text=True)


# 2. the recording page --------------------------------------------------------------------------

def test_the_recording_page_shows_the_declared_labels_hint_and_choices(archivist, monkeypatch):
    client, _ = archivist
    page = _page(client, f"/edit/story/{SLUG}/recordings")
    embargo, access = field(MEDIA_FIELDS, "embargo_until"), field(MEDIA_FIELDS, "access")
    assert labels_on(page)["rec-embargo"] == embargo.label
    assert f'<p class="field-hint">{embargo.help}</p>' in page and "到期自动公开" not in page
    assert options_of(page, "rec-access") == access.options
    relabel(monkeypatch, "media", "embargo_until", label="限制到", help="这天以前只有档案员能听")
    page = _page(client, f"/edit/story/{SLUG}/recordings")
    assert labels_on(page)["rec-embargo"] == "限制到" and '<p class="field-hint">这天以前只有档案员能听</p>' in page


def test_the_recording_form_sends_what_the_upload_reads(archivist):
    client, _ = archivist
    page = _page(client, f"/edit/story/{SLUG}/recordings")
    form = page[page.index('<form class="recording-form"'):page.index("</form>", page.index('<form class="recording-form"'))]
    names = re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"', form)
    assert sorted(names) == sorted(("file",) + recording_uploads.DETAIL_KEYS)  # the page's script sends every one


def test_a_recordings_embargo_is_refused_in_the_words_of_its_declared_label(monkeypatch):
    with pytest.raises(uploads.UploadRefused) as refused:
        recording_uploads._check_details("访谈.mp3", {"embargo_until": "2030-02-30"})
    assert refused.value.message == f"“{field(MEDIA_FIELDS, 'embargo_until').label}”{DATE_HINT}"
    monkeypatch.setattr(recording_uploads, "EMBARGO", dataclasses.replace(recording_uploads.EMBARGO, label="限制到"))
    with pytest.raises(uploads.UploadRefused) as refused:
        recording_uploads._check_details("访谈.mp3", {"embargo_until": "20300101"})  # not a day `archive check` reads
    assert refused.value.message == f"“限制到”{DATE_HINT}"


# 3. import and sheet-import messages ------------------------------------------------------------

def _import_folder(tmp_path, files: dict[str, str]):
    folder = tmp_path / "incoming"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_import_reports_the_declared_required_fields_and_slug_messages(app, tmp_path, monkeypatch):
    store = app.extensions["archive"].store
    folder = _import_folder(tmp_path, {
        "a.md": "---\ntitle: 甲\n---\n正文。\n",
        "b.md": "---\ntitle: 乙\nnarrator: 王\n---\n正文。\n",
        "metadata.csv": "file,slug\nb.md,b c\n",
        f"{SLUG}.md": "---\ntitle: 丙\nnarrator: 王\n---\n正文。\n",
    })
    items = {item.path.name: [p.message for p in item.problems] for item in importer.plan_import(folder, store)[0]}
    assert items["a.md"] == [f"{missing_message(field(STORY_FIELDS, 'narrator'))}：可在 CSV 的 narrator 列填写"]
    assert items["b.md"] == [f"{slug_problem()}（'b c'）：请在 CSV 的 slug 列指定"]
    assert items[f"{SLUG}.md"][0].startswith(slug_taken(SLUG))
    required_place = tuple(dataclasses.replace(f, required=True) if f.key == "place" else f for f in STORY_FIELDS)
    monkeypatch.setattr(importer, "STORY_FIELDS", required_place)
    items = {item.path.name: [p.message for p in item.problems] for item in importer.plan_import(folder, store)[0]}
    assert f"{missing_message(field(STORY_FIELDS, 'place'))}：可在 CSV 的 place 列填写" in items["a.md"]


def test_import_dry_run_reports_a_field_of_the_wrong_kind_the_editor_would_refuse(app, tmp_path):
    folder = _import_folder(tmp_path, {"a.md": "---\ntitle: 甲\nnarrator: 王\ntags: 渡江\nsample: 是\n---\n正文。\n"})
    item = importer.plan_import(folder, app.extensions["archive"].store)[0][0]
    assert [p.message for p in item.problems] == [
        content_model.value_problem(field(STORY_FIELDS, "tags"), "渡江"),
        content_model.value_problem(field(STORY_FIELDS, "sample"), "是")]


def test_sheet_import_reports_the_declared_required_fields_and_slug_message(app, tmp_path, monkeypatch):
    store = app.extensions["archive"].store
    sheet = tmp_path / "people.csv"
    sheet.write_text("slug,name,hometown\nli-si,,河北\nbad slug,张三,\n", encoding="utf-8")
    plan = sheet_import.plan_sheet_import(store, sheet)
    assert [p.message for p in plan.problems] == [f"name：{missing_message(field(PERSON_FIELDS, 'name'))}",
                                                  f"slug：{slug_problem()}（'bad slug'）"]
    with_gender = tuple(dataclasses.replace(f, required=True) if f.key == "gender" else f for f in PERSON_FIELDS)
    monkeypatch.setitem(sheet_import.FIELDS, "people", with_gender)
    messages = [p.message for p in sheet_import.plan_sheet_import(store, sheet).problems]
    assert f"gender：{missing_message(field(with_gender, 'gender'))}" in messages


# 4. the access select, its message, and the status names ---------------------------------------

def test_the_story_forms_access_select_and_message_are_the_declared_choices(archivist, monkeypatch):
    client, _ = archivist
    access = field(STORY_FIELDS, "access")
    assert options_of(_page(client, "/edit/new"), "f-access") == access.options
    assert access.options[0] == ("public", "公开（所有读者）")
    _, errors = parse_story_form(MultiDict({"title": "甲", "narrator": "王", "access": "secret"}))
    assert errors["access"] == choice_message(access) == "公开范围只能是 公开 / 内部 / 受限"
    relabel(monkeypatch, "story", "access", choice_labels=("对外", "对内", "保密"), choice_hints=("", "", ""))
    assert [text for _, text in options_of(_page(client, "/edit/new"), "f-access")] == ["对外", "对内", "保密"]
    renamed = dataclasses.replace(access, choice_labels=("对外", "对内", "保密"))
    monkeypatch.setattr("archive.story_form.ACCESS", renamed)
    _, errors = parse_story_form(MultiDict({"title": "甲", "narrator": "王", "access": "secret"}))
    assert errors["access"] == "公开范围只能是 对外 / 对内 / 保密"


def test_the_status_names_are_the_declared_choice_labels(archivist, monkeypatch):
    client, _ = archivist
    relabel(monkeypatch, "story", "status", choice_labels=("未发布稿", "已上线"))
    assert '<span class="status-badge status-published">已上线</span>' in _page(client, f"/edit/story/{SLUG}")
    assert STATUS_LABELS == dict(field(PLAN_FIELDS, "status").options) == {
        "draft": "草稿", "scheduled": "已安排", "delivered": "已宣讲"}


def test_a_choice_needs_one_name_per_value():
    with pytest.raises(ValueError):
        Field("access", "choice", "公开范围", choices=("public", "internal"), choice_labels=("公开",))
    assert Field("x", "choice", "甲", choices=("a",)).options == (("a", "a"),)


# 5. archive check reads consent by its declared fields ------------------------------------------

def test_check_reports_a_consent_field_of_the_wrong_kind(run_cli, archive_root):
    (archive_root / "media").mkdir(exist_ok=True)
    (archive_root / "media" / "a.jpg").write_bytes(_jpeg())
    (archive_root / "stories" / "c.md").write_text(
        "---\ntitle: 甲\nnarrator: 王\nconsent:\n  form_on_file: 是\n  signed: 去年\n  scope: [档案]\n"
        "media:\n  - file: a.jpg\n    consent:\n      form_on_file: 'true'\n---\n正文。\n", encoding="utf-8")
    result = run_cli("check")
    assert result.exit_code == 1
    flag, signed, scope = (field(CONSENT_FIELDS, key) for key in ("form_on_file", "signed", "scope"))
    assert f"stories/c.md:5: {content_model.value_problem(flag, '是')}" in result.output
    assert f"stories/c.md:6: {content_model.value_problem(signed, '去年')}" in result.output
    assert f"stories/c.md:7: {content_model.value_problem(scope, ['档案'])}" in result.output
    assert f"stories/c.md:11: {content_model.value_problem(flag, 'true')}" in result.output
    assert "form_on_file 应为 true 或 false（实际是 '是'）" in result.output


# the lecture plan's details form ----------------------------------------------------------------

DETAIL_INPUTS = {"d-title": "title", "d-theme": "theme", "d-audience": "audience", "d-venue": "venue",
                 "d-venue-type": "venue_type", "d-date": "date", "d-time": "time", "d-speakers": "speakers",
                 "d-target": "target_minutes", "d-rate": "chars_per_minute", "d-status": "status"}


def test_the_plan_details_form_is_labelled_and_checked_as_declared(app, login, monkeypatch):
    client = app.test_client()
    token = login(client, "lecturer")
    response = client.post("/lectures/new", data={"title": "走进红星小学", "csrf_token": token})
    assert response.status_code == 302
    url = response.headers["Location"]
    page = _page(client, url)
    assert {i: labels_on(page)[i] for i in DETAIL_INPUTS} == {i: field(PLAN_FIELDS, k).label
                                                              for i, k in DETAIL_INPUTS.items()}
    assert options_of(page, "d-status") == field(PLAN_FIELDS, "status").options
    relabel(monkeypatch, "plan", "venue", label="宣讲场所")
    assert labels_on(_page(client, url))["d-venue"] == "宣讲场所"
    plan = LecturePlan.from_meta("p", {"title": "进课堂"})
    monkeypatch.setitem(plan_editing.DETAILS, "time", dataclasses.replace(plan_editing.DETAILS["time"], label="开讲时刻"))
    with pytest.raises(plan_editing.PlanError, match="^开讲时刻应写成 14:30"):
        plan_editing.update_details(plan, {"time": "下午"})
    with pytest.raises(plan_editing.PlanError) as refused:
        plan_editing.update_details(plan, {"status": "done"})
    assert str(refused.value) == f"{choice_message(field(PLAN_FIELDS, 'status'))}。" == "状态只能是 草稿 / 已安排 / 已宣讲。"


# the person page's service record ---------------------------------------------------------------

def test_the_person_pages_service_rows_are_the_declared_fields_in_order(monkeypatch):
    service = {"wounds": "左腿冻伤", "units": ["志愿军第 20 军"], "enlisted": 1950, "rank": "班长", "honors": []}
    assert people.service_rows(service) == [("入伍", "1950"), ("职务或军衔", "班长"), ("部队", "志愿军第 20 军"),
                                            ("负伤", "左腿冻伤")]
    assert [label for label, _ in people.service_rows(service)] == [
        f.short_label for f in SERVICE_FIELDS if f.key in ("enlisted", "rank", "units", "wounds")]
    changed = tuple(dataclasses.replace(f, short="伤情") if f.key == "wounds" else f for f in SERVICE_FIELDS)
    monkeypatch.setattr(people, "SERVICE_FIELDS", changed)
    assert people.service_rows(service)[-1] == ("伤情", "左腿冻伤")


def test_the_story_page_names_its_facts_by_the_declared_labels(app, monkeypatch):
    """The reading page's 讲述人 / 采访人 / 访谈日期 / 地点 / 战争 … are the declared fields' (short) labels:
    the page said 访谈人 where the form says 采访人."""
    story = app.test_client().get(f"/stories/{SLUG}").get_data(as_text=True)
    facts = re.findall(r"<dt>([^<]*)</dt>", story)
    shown = declared = {f.key: f.short_label for f in STORY_FIELDS}
    assert facts[:2] == [shown["narrator"], shown["interviewed"]]
    assert shown["conflicts"] in facts
    relabel(monkeypatch, "story", "narrator", short="口述者")
    relabel(monkeypatch, "story", "conflicts", short="所历战事")
    fresh = app.test_client().get(f"/stories/{SLUG}?v=relabelled").get_data(as_text=True)
    assert "<dt>口述者</dt>" in fresh and "<dt>所历战事</dt>" in fresh
    assert declared["interviewer"] == "采访人"
