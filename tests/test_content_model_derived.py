"""What is derived from archive/content_model.py follows it (issue 10): the story and person
forms' labels, hints and required marks, the vocabulary lists' labels, the consent block, the
Editor's required fields (the same for the form, the API and a library caller) and a lecture
plan's type problems.  Each test fails if a place states a field's rule or label on its own."""
from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from archive import content_model, vocabularies
from archive.content_model import (
    CONSENT_FIELDS,
    PERSON_FIELDS,
    PLAN_FIELDS,
    SERVICE_FIELDS,
    STORY_FIELDS,
    field,
    value_problem,
)
from archive.editing import EditError
from archive.lectures.plan import LecturePlan
from archive.story_form import consent_name, parse_consent, parse_person_form, parse_story_form, story_form_values

DOCS = Path(__file__).resolve().parent.parent / "docs"
# what the `field` macro of templates/edit/_field.html renders: label (with a * when required), input, hint
FIELD = re.compile(r'<label for="f-(?P<name>\w+)">(?P<label>[^<]*?)(?P<star> <span class="required"[^>]*>\*</span>)?'
                   r'</label>\s*<input id="f-(?P=name)"[^>]*>\s*(?:<p class="field-hint">(?P<hint>[^<]*)</p>)?')
LEGEND = re.compile(r'<legend>(?P<label>[^<]*)</legend>\s*<div class="checkbox-list">\s*(?:<label><input type="checkbox" '
                    r'name="(?P<name>\w+)")?')


def form_fields(page: str) -> dict[str, tuple[str, str, bool]]:
    """name -> (label, hint, marked required) of each labelled input of a rendered form."""
    return {m["name"]: (html.unescape(m["label"]).strip(), html.unescape(m["hint"] or ""), bool(m["star"]))
            for m in FIELD.finditer(page)}


def declared(f, required: bool | None = None) -> tuple[str, str, bool]:
    return f.label, f.help, f.required if required is None else required


@pytest.fixture
def archivist(app, login):
    client = app.test_client()
    login(client, "archivist")
    return client


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_new_story_form_shows_each_declared_field_as_declared(archivist):
    shown = form_fields(_page(archivist, "/edit/new"))
    for f in STORY_FIELDS:
        if f.form and not f.vocabulary and f.key != "summary":  # lists are ticked, the summary is a text box: below
            assert shown[f.key] == declared(f), f.key
    for f in CONSENT_FIELDS:
        if f.kind != "flag":
            assert shown[consent_name(f.key)] == declared(f), f.key
    for f in PERSON_FIELDS + SERVICE_FIELDS:  # the new narrator's profile: nothing required but its slug
        if f.form:
            assert shown[f"person_{f.key}"] == declared(f, required=False), f.key


def test_the_story_form_labels_its_lists_summary_access_and_consent_as_declared(archivist):
    page = _page(archivist, "/edit/story/kua-guo-ya-lu-jiang")
    legends = {m["name"]: html.unescape(m["label"]) for m in LEGEND.finditer(page) if m["name"]}
    assert legends == {f.key: f.label for f in STORY_FIELDS if f.form and f.vocabulary or f.key == "people"}
    assert f'<label for="f-summary">{field(STORY_FIELDS, "summary").label}</label>' in page
    assert f'<label for="f-access">{field(STORY_FIELDS, "access").label}</label>' in page
    on_file = field(CONSENT_FIELDS, "form_on_file")
    assert f'name="consent_release_form" value="1" > {on_file.label}（{on_file.help}）</label>' in page


def test_the_person_form_shows_each_declared_field_as_declared(archivist):
    shown = form_fields(_page(archivist, "/edit/person/wang-jianguo"))
    expected = {f.key: declared(f) for f in PERSON_FIELDS + SERVICE_FIELDS if f.form}
    assert {name: shown[name] for name in expected} == expected
    assert list(shown)[:len(expected)] == list(expected)  # in the declaration's order


def test_a_label_changed_in_the_declaration_is_what_the_forms_show(archivist, monkeypatch):
    def relabel(record: str, fields, key: str, label: str, help: str = "") -> None:
        changed = tuple(dataclasses.replace(f, label=label, help=help) if f.key == key else f for f in fields)
        monkeypatch.setitem(content_model.FORM_FIELDS, record, changed)

    relabel("story", STORY_FIELDS, "place", "采访地点", "写到街道")
    relabel("service", SERVICE_FIELDS, "branch", "军种")
    relabel("consent", CONSENT_FIELDS, "scope", "使用范围")
    story = form_fields(_page(archivist, "/edit/new"))
    assert story["place"] == ("采访地点", "写到街道", False)
    assert story["person_branch"][0] == "军种" and story["consent_scope"][0] == "使用范围"
    assert form_fields(_page(archivist, "/edit/person/new"))["branch"][0] == "军种"


def test_the_vocabulary_lists_are_the_fields_with_a_vocabulary(archivist):
    with_vocabulary = {f.key: f for f in STORY_FIELDS if f.vocabulary}
    assert set(vocabularies.DEFAULTS) == set(with_vocabulary)  # each list has its built-in terms
    page = _page(archivist, "/edit/vocabularies")
    for key, f in with_vocabulary.items():
        assert f'<label for="v-{key}">{f.label}</label>' in page
        assert vocabularies.vocabulary_path(Path("/r"), key).name == f.vocabulary
    assert field(PLAN_FIELDS, "audience").vocabulary == field(STORY_FIELDS, "audience").vocabulary


def test_the_consent_block_is_read_and_shown_by_its_declared_fields(tmp_path):
    consent = {"form_on_file": True, "signed": "2024-05", "scope": "档案与教学", "posthumous": "身后可公开", "witness": "李"}
    values = story_form_values({"consent": consent})
    form = MultiDict({name: "1" if value is True else value for name, value in values.items()
                      if name.startswith("consent_") and value})
    errors: dict[str, str] = {}
    assert parse_consent(form, consent, errors) == consent and errors == {}  # an undeclared key is kept
    assert parse_consent(MultiDict(), consent, errors) == {"witness": "李"}
    parse_consent(MultiDict({consent_name("signed"): "去年"}), {}, errors)
    assert list(errors) == ["consent_date"]
    row = next(line for line in (DOCS / "format.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("| `consent` |"))
    assert all(f"`{f.key}`" in row for f in CONSENT_FIELDS)


def test_the_forms_ask_for_the_declared_required_fields():
    _, errors = parse_story_form(MultiDict({"title": " ", "narrator": ""}))
    assert {key: errors[key] for key in ("title", "narrator")} == {
        f.key: f"请填写{f.label}" for f in STORY_FIELDS if f.required}
    _, errors = parse_person_form(MultiDict({"person_name": ""}), prefix="person_")
    assert errors == {"person_name": f"请填写{field(PERSON_FIELDS, 'name').label}"}


def test_the_editor_refuses_a_new_story_without_a_required_field(app):
    editor = app.extensions["archive"].editor
    with pytest.raises(EditError) as refused:
        editor.create_story("", {"title": "渡江"}, "正文。", "lib")
    assert refused.value.errors == {"narrator": "缺少必填项 narrator（讲述人）"}
    with pytest.raises(EditError) as refused:
        editor.create_story("du-jiang", {"narrator": "王", "title": "  "}, "正文。", "lib")
    assert refused.value.errors == {"title": "缺少必填项 title（标题）"}
    assert not (app.extensions["archive"].store.stories_dir / "du-jiang.md").exists()


def test_the_editor_refuses_a_save_that_drops_a_required_field_but_not_one_already_missing(app, archive_root):
    context = app.extensions["archive"]
    story = context.store.get_story("kua-guo-ya-lu-jiang")
    story.meta = {k: v for k, v in story.meta.items() if k != "narrator"}
    with pytest.raises(EditError) as refused:
        context.editor.save_story(story, story.version, "lib")
    assert refused.value.errors == {"narrator": "缺少必填项 narrator（讲述人）"}
    (archive_root / "stories" / "no-narrator.md").write_text("---\ntitle: 缺讲述人\n---\n旧文。\n", encoding="utf-8")
    broken = context.store.get_story("no-narrator")
    broken.body = "改过的正文。\n"  # an archivist fixing a word is not held to what the file lacked before
    assert context.editor.save_story(broken, broken.version, "lib").body == "改过的正文。\n"


def test_the_api_answers_the_editors_required_field_refusal_with_422(app, login):
    client = app.test_client()
    token = login(client, "archivist")
    response = client.post("/api/stories", headers={"X-CSRF-Token": token}, json={"meta": {}, "body": "x"})
    assert response.status_code == 422
    assert response.json["fields"] == {"title": "缺少必填项 title（标题）", "narrator": "缺少必填项 narrator（讲述人）"}
    assert "title（标题）" in response.json["error"] and "narrator（讲述人）" in response.json["error"]


@pytest.mark.parametrize(("key", "value"), [("title", 5), ("time", 870), ("target_minutes", "半小时"),
                                            ("status", "done"), ("date", "下周三"), ("speakers", "张")])
def test_a_plans_problems_are_the_declared_type_rules(key, value):
    plan = LecturePlan.from_meta("p", {"title": "进课堂", key: value})
    assert [str(p) for p in plan.problems] == [value_problem(field(PLAN_FIELDS, key), value)]
    assert plan.status == "draft"


def test_a_plan_reads_and_writes_every_declared_field():
    meta = {"title": "进课堂", "theme": "长津湖", "audience": "初中", "venue": "一中", "venue_type": "学校",
            "date": "2026-12-10", "time": "14:30", "speakers": ["张"], "target_minutes": 30, "chars_per_minute": 180,
            "status": "scheduled", "owner": "a1", "items": [{"text": "开场"}], "deliveries": [{"date": "2026-12-10"}]}
    assert set(meta) == {f.key for f in PLAN_FIELDS}
    plan = LecturePlan.from_meta("p", meta)
    assert plan.problems == [] and plan.to_meta() == meta
