"""OAI-PMH (issue 12): a standard harvester (Sickle) harvests exactly the public stories from a
real waitress server, following resumption tokens over several pages; restricted, internal,
embargoed and draft stories never appear; a taken-down story is reported deleted; the verbs,
sets, from/until and errors answer as the protocol defines."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree
from sickle import Sickle

from archive import create_app
from tests.conftest import write_tree
from tests.served import waitress_in_thread

NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "exchange_data/oai/harvest.xsd")))
PUBLIC = [f"gong-kai-{n}" for n in range(7)]
HIDDEN = {"shou-xian": "access: restricted", "nei-bu": "access: internal", "cao-gao": "status: draft",
          "jin-feng": "embargo_until: 2999-01-01"}


def _story(title: str, extra: str = "", conflict: str = "抗美援朝战争") -> str:
    return f"---\ntitle: {title}\nnarrator: 老兵{title}\ninterviewed: 2023-05-01\ninterviewer: 李红\n" \
           f"conflicts:\n  - {conflict}\n{extra}\n---\n## 开头\n\n{title}的故事。\n"


@pytest.fixture
def oai_root(tmp_path: Path) -> Path:
    files = {f"stories/{slug}.md": _story(f"公开{n}", conflict="解放战争" if n == 0 else "抗美援朝战争")
             for n, slug in enumerate(PUBLIC)}
    files.update({f"stories/{slug}.md": _story(slug, rule) for slug, rule in HIDDEN.items()})
    files["stories/xia-jia.md"] = _story("下架", "takedown:\n  reason: 家属要求\n  date: 2024-01-01")
    files["collections/zhuan-ti.md"] = "---\ntitle: 抗美援朝专题\nstories:\n  - gong-kai-1\n  - shou-xian\n---\n介绍\n"
    root = write_tree(tmp_path / "archive", files)
    for n, slug in enumerate(PUBLIC):  # change times one day apart: 2024-03-01 … 2024-03-07
        stamp = 1709251200 + n * 86400
        os.utime(root / f"stories/{slug}.md", (stamp, stamp))
    return root


@pytest.fixture
def oai_app(oai_root: Path, tmp_path: Path):
    return create_app({"TESTING": True, "ARCHIVE_ROOT": str(oai_root), "INDEX_DIR": str(tmp_path / "index"),
                       "CACHE_DIR": str(tmp_path / "cache"), "INSTANCE_DIR": str(tmp_path / "instance"),
                       "OAI_PAGE_SIZE": 2, "BASE_URL": "http://dangan.example.cn"})


@pytest.fixture
def served(oai_app):
    """The app under a real waitress server; yields (base URL, list of OAI requests seen)."""
    seen: list[str] = []

    def counting(environ, start_response):
        if environ["PATH_INFO"] == "/oai":
            seen.append(environ.get("QUERY_STRING", ""))
        return oai_app(environ, start_response)

    with waitress_in_thread(counting, threads=2, ident="oai-test") as server:
        yield f"http://127.0.0.1:{server.effective_port}", seen


def test_a_standard_harvester_gets_exactly_the_public_stories_over_several_pages(served):
    base, seen = served
    harvester = Sickle(f"{base}/oai", max_retries=0)
    records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    live = {r.header.identifier for r in records if not r.deleted}
    assert live == {f"oai:dangan.example.cn:{slug}" for slug in PUBLIC}
    assert {r.header.identifier for r in records if r.deleted} == {"oai:dangan.example.cn:xia-jia"}
    assert len(seen) >= 4  # 8 records, 2 per page: the harvester followed three resumption tokens
    first = next(r for r in records if r.header.identifier.endswith("gong-kai-1"))
    assert first.metadata["title"] == ["公开1"] and first.metadata["creator"] == ["老兵公开1"]
    assert first.metadata["identifier"] == ["http://dangan.example.cn/stories/gong-kai-1"]
    assert "collection:zhuan-ti" in first.header.setSpecs
    identifiers = [h.identifier for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=True)]
    assert sorted(identifiers) == sorted(live)


def _get(client, query: str) -> etree._Element:
    response = client.get(f"/oai?{query}")
    assert response.status_code == 200 and response.mimetype == "text/xml"
    document = etree.fromstring(response.data)
    assert SCHEMA.validate(document), (query, SCHEMA.error_log.last_error)  # the OAI-PMH 2.0 and oai_dc XSDs
    return document


def _error(client, query: str) -> str | None:
    found = _get(client, query).find("o:error", NS)
    return found.get("code") if found is not None else None


def test_protocol_errors_are_answered_as_oai_pmh_defines_them(oai_app):
    client = oai_app.test_client()
    assert _error(client, "") == "badVerb"
    assert _error(client, "verb=Harvest") == "badVerb"
    assert _error(client, "verb=ListRecords") == "badArgument"
    assert _error(client, "verb=Identify&extra=1") == "badArgument"
    assert _error(client, "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc") == "badArgument"
    assert _error(client, "verb=ListRecords&metadataPrefix=marc21") == "cannotDisseminateFormat"
    assert _error(client, "verb=ListRecords&metadataPrefix=oai_dc&from=2024-13-40") == "badArgument"
    assert _error(client, "verb=ListRecords&metadataPrefix=oai_dc&from=2024-03-05&until=2024-03-01") == "badArgument"
    assert _error(client, "verb=ListRecords&resumptionToken=garbage") == "badResumptionToken"
    assert _error(client, "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:dangan.example.cn:shou-xian") \
        == "idDoesNotExist"
    assert _error(client, "verb=ListRecords&metadataPrefix=oai_dc&set=conflict:wu") == "noRecordsMatch"
    assert _error(client, "verb=ListRecords&metadataPrefix=oai_dc&from=2030-01-01") == "noRecordsMatch"


def test_identify_formats_sets_and_one_record(oai_app):
    client = oai_app.test_client()
    identify = _get(client, "verb=Identify").find("o:Identify", NS)
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://dangan.example.cn/oai"
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == "2024-03-01T00:00:00Z"
    formats = _get(client, "verb=ListMetadataFormats").findall(".//o:metadataPrefix", NS)
    assert [f.text for f in formats] == ["oai_dc"]
    sets = {s.findtext("o:setSpec", namespaces=NS): s.findtext("o:setName", namespaces=NS)
            for s in _get(client, "verb=ListSets").findall(".//o:set", NS)}
    assert sets["conflict:kang-mei-yuan-chao-zhan-zheng"] == "战争：抗美援朝战争"
    assert sets["collection:zhuan-ti"] == "专题：抗美援朝专题"
    record = _get(client, "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:dangan.example.cn:gong-kai-2")
    assert record.findtext(".//dc:contributor", namespaces=NS) == "李红"
    assert record.findtext(".//dc:date", namespaces=NS) == "2023-05-01"


def _listed(client, query: str) -> list[str]:
    return [h.text.rsplit(":", 1)[1] for h in _get(client, f"verb=ListIdentifiers&metadataPrefix=oai_dc&{query}")
            .findall(".//o:header/o:identifier", NS)]


def test_from_until_and_sets_select_by_change_date_and_conflict(oai_app):
    client = oai_app.test_client()
    assert _listed(client, "from=2024-03-02&until=2024-03-03") == ["gong-kai-1", "gong-kai-2"]
    assert _listed(client, "until=2024-03-01T00:00:00Z") == ["gong-kai-0"]
    assert _listed(client, "set=conflict:jie-fang-zhan-zheng") == ["gong-kai-0"]
    assert _listed(client, "set=collection") == ["gong-kai-1"]  # a parent set holds its children


def test_every_page_of_a_long_list_validates_against_the_oai_pmh_schema(oai_app):
    client = oai_app.test_client()
    query, pages = "verb=ListRecords&metadataPrefix=oai_dc", 0
    while query:
        token = _get(client, query).find(".//o:resumptionToken", NS)
        pages += 1
        query = f"verb=ListRecords&resumptionToken={token.text}" if token is not None and token.text else None
    assert pages == 4
    broken = etree.fromstring(client.get("/oai?verb=Identify").data)
    broken.find("o:Identify/o:baseURL", NS).text = "not a url"
    broken.find("o:responseDate", NS).text = "yesterday"
    assert not SCHEMA.validate(broken)  # the schema does catch a malformed answer


def test_a_purged_public_story_is_reported_deleted_and_a_purged_restricted_one_never_named(oai_app, oai_root):
    from click.testing import CliRunner

    from archive.cli import cli

    for slug in ("gong-kai-3", "shou-xian"):
        result = CliRunner(env={"ARCHIVE_INSTANCE_DIR": oai_app.config["INSTANCE_DIR"]}).invoke(
            cli, ["--root", str(oai_root), "purge", "--story", slug, "--reason", "家属撤回授权", "--yes"],
            catch_exceptions=False)
        assert result.exit_code == 0, result.output
    client = oai_app.test_client()
    document = _get(client, "verb=ListIdentifiers&metadataPrefix=oai_dc")
    headers = {h.findtext("o:identifier", namespaces=NS).rsplit(":", 1)[1]: h.get("status")
               for h in document.iter("{http://www.openarchives.org/OAI/2.0/}header")}
    token = document.find(".//o:resumptionToken", NS)
    while token is not None and token.text:
        page = _get(client, f"verb=ListIdentifiers&resumptionToken={token.text}")
        headers.update({h.findtext("o:identifier", namespaces=NS).rsplit(":", 1)[1]: h.get("status")
                        for h in page.iter("{http://www.openarchives.org/OAI/2.0/}header")})
        token = page.find(".//o:resumptionToken", NS)
    assert headers["gong-kai-3"] == "deleted" and headers["xia-jia"] == "deleted"
    assert "shou-xian" not in headers
    assert {slug for slug, status in headers.items() if status is None} == set(PUBLIC) - {"gong-kai-3"}
    record = _get(client, "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:dangan.example.cn:gong-kai-3")
    assert record.find(".//o:header", NS).get("status") == "deleted" and record.find(".//o:metadata", NS) is None


def test_a_harvester_may_post_its_request_as_the_protocol_allows(client):
    """OAI-PMH 2.0 (3.1.1.2): requests may come as POST with a form body; no CSRF token is asked."""
    answer = client.post("/oai", data={"verb": "Identify"})
    assert answer.status_code == 200 and "<Identify>" in answer.get_data(as_text=True)
    assert client.post("/oai", data={"verb": "Nonsense"}).get_data(as_text=True).count('code="badVerb"') == 1
