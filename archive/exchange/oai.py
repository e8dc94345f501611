"""OAI-PMH 2.0 (http://www.openarchives.org/OAI/openarchivesprotocol.html): the six verbs over
OaiRepository, `oai_dc` only, stateless resumption tokens, `from`/`until` on the records' change
times, and the protocol's own error codes.  Builds the XML answer; the view only serves it."""
from __future__ import annotations

import base64
import datetime as dt
import json
import re
from dataclasses import dataclass

from lxml import etree

from archive.exchange.dublin_core import ELEMENTS, PUBLISHER, dublin_core
from archive.exchange.oai_records import OaiRecord, OaiRepository

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
FORMATS = {"oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC)}
ARGUMENTS = {  # verb -> (required, optional); a resumptionToken stands alone
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Exception):
    """A protocol error: its code (badArgument, …) and a message for the harvester's operator."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class ListQuery:
    """What a list request asks for; it is what a resumption token carries, with the offset."""

    verb: str
    prefix: str
    start: str | None = None
    end: str | None = None
    set: str | None = None
    offset: int = 0

    def token(self, offset: int) -> str:
        data = json.dumps([self.verb, self.prefix, self.start, self.end, self.set, offset], separators=(",", ":"))
        return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")

    @classmethod
    def from_token(cls, verb: str, token: str) -> ListQuery:
        try:
            raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            query = cls(*raw)
        except (ValueError, TypeError):
            raise OaiError("badResumptionToken", "无法识别的 resumptionToken") from None
        if query.verb != verb or not isinstance(query.offset, int) or query.offset < 0:
            raise OaiError("badResumptionToken", "resumptionToken 与本次请求不符")
        return query


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _bound(value: str | None, name: str, end: bool) -> dt.datetime | None:
    """'2024-05-01' or '2024-05-01T08:00:00Z' -> UTC datetime (a day `until` means its last second)."""
    if value is None:
        return None
    try:
        if DAY.match(value):
            day = dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=dt.UTC)
            return day + dt.timedelta(days=1, seconds=-1) if end else day
        if SECOND.match(value):
            return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        pass
    raise OaiError("badArgument", f"{name} 应为 YYYY-MM-DD 或 YYYY-MM-DDThh:mm:ssZ，而不是 {value!r}")


class OaiProvider:
    """Answers one OAI-PMH request (a dict of argument -> list of values) with the XML bytes."""

    def __init__(self, repository: OaiRepository, site_url: str, admin_email: str, page_size: int = 100):
        self.repository, self.site_url, self.admin_email = repository, site_url, admin_email
        self.base_url, self.page_size = f"{site_url}/oai", page_size
        self.host = re.sub(r"^https?://([^/:]+).*$", r"\1", site_url)

    def identifier(self, slug: str) -> str:
        """oai:<host>:<slug>."""
        return f"oai:{self.host}:{slug}"

    def _slug(self, identifier: str) -> str:
        prefix = f"oai:{self.host}:"
        if not identifier.startswith(prefix) or self.repository.record(identifier[len(prefix):]) is None:
            raise OaiError("idDoesNotExist", f"没有这条记录：{identifier}")
        return identifier[len(prefix):]

    def answer(self, args: dict[str, list[str]], now: dt.datetime) -> bytes:
        """The whole OAI-PMH response document for these arguments."""
        root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
        root.set(f"{{{XSI}}}schemaLocation", f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
        etree.SubElement(root, f"{{{OAI}}}responseDate").text = _stamp(now)
        request = etree.SubElement(root, f"{{{OAI}}}request")
        request.text = self.base_url
        try:
            verb, values = self._checked(args)
            for key, value in values.items():
                request.set(key, value)
            getattr(self, f"_{verb}")(root, values)
        except OaiError as error:
            if error.code in ("badVerb", "badArgument"):  # the protocol: then the request is echoed without arguments
                request.attrib.clear()
            for node in root[2:]:
                root.remove(node)
            etree.SubElement(root, f"{{{OAI}}}error", code=error.code).text = error.message
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def _checked(self, args: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
        verbs = args.get("verb", [])
        if len(verbs) != 1 or verbs[0] not in ARGUMENTS:
            raise OaiError("badVerb", "缺少 verb，或 verb 不是 OAI-PMH 2.0 的六个动词之一")
        verb = verbs[0]
        if any(len(v) != 1 for v in args.values()):
            raise OaiError("badArgument", "参数重复")
        values = {k: v[0] for k, v in args.items() if k != "verb"}
        required, optional = ARGUMENTS[verb]
        unknown = set(values) - required - optional
        if "resumptionToken" in values and len(values) > 1:
            raise OaiError("badArgument", "resumptionToken 须单独使用")
        if unknown or ("resumptionToken" not in values and required - set(values)):
            raise OaiError("badArgument", f"{verb} 的参数不对：缺少 {sorted(required - set(values))}，多余 {sorted(unknown)}")
        return verb, {"verb": verb, **values}

    def _Identify(self, root, values) -> None:
        node = etree.SubElement(root, f"{{{OAI}}}Identify")
        for tag, text in (("repositoryName", PUBLISHER), ("baseURL", self.base_url), ("protocolVersion", "2.0"),
                          ("adminEmail", self.admin_email), ("earliestDatestamp", _stamp(self.repository.earliest())),
                          ("deletedRecord", "transient"), ("granularity", "YYYY-MM-DDThh:mm:ssZ")):
            etree.SubElement(node, f"{{{OAI}}}{tag}").text = text

    def _ListMetadataFormats(self, root, values) -> None:
        if "identifier" in values:
            self._slug(values["identifier"])
        node = etree.SubElement(root, f"{{{OAI}}}ListMetadataFormats")
        for prefix, (schema, namespace) in FORMATS.items():
            entry = etree.SubElement(node, f"{{{OAI}}}metadataFormat")
            for tag, text in (("metadataPrefix", prefix), ("schema", schema), ("metadataNamespace", namespace)):
                etree.SubElement(entry, f"{{{OAI}}}{tag}").text = text

    def _ListSets(self, root, values) -> None:
        if "resumptionToken" in values:
            raise OaiError("badResumptionToken", "集合列表一次给全，没有 resumptionToken")
        node = etree.SubElement(root, f"{{{OAI}}}ListSets")
        for oai_set in self.repository.sets():
            entry = etree.SubElement(node, f"{{{OAI}}}set")
            etree.SubElement(entry, f"{{{OAI}}}setSpec").text = oai_set.spec
            etree.SubElement(entry, f"{{{OAI}}}setName").text = oai_set.name

    def _GetRecord(self, root, values) -> None:
        slug = self._slug(values["identifier"])
        self._format(values["metadataPrefix"])
        record = self.repository.record(slug)
        self._record(etree.SubElement(root, f"{{{OAI}}}GetRecord"), record)

    def _ListIdentifiers(self, root, values) -> None:
        self._list(root, values, "ListIdentifiers")

    def _ListRecords(self, root, values) -> None:
        self._list(root, values, "ListRecords")

    def _format(self, prefix: str) -> None:
        if prefix not in FORMATS:
            raise OaiError("cannotDisseminateFormat", f"只提供 oai_dc，不提供 {prefix}")

    def _query(self, verb: str, values: dict[str, str]) -> ListQuery:
        if "resumptionToken" in values:
            return ListQuery.from_token(verb, values["resumptionToken"])
        query = ListQuery(verb, values["metadataPrefix"], values.get("from"), values.get("until"), values.get("set"))
        if query.start and query.end and (len(query.start) != len(query.end)):
            raise OaiError("badArgument", "from 与 until 的精度须相同")
        return query

    def _matching(self, query: ListQuery) -> list[OaiRecord]:
        self._format(query.prefix)
        start, end = _bound(query.start, "from", False), _bound(query.end, "until", True)
        if start and end and start > end:
            raise OaiError("badArgument", "from 晚于 until")
        found = [r for r in self.repository.records() if (start is None or r.datestamp >= start)
                 and (end is None or r.datestamp <= end) and (query.set is None or query.set in r.sets
                                                              or any(s.startswith(query.set + ":") for s in r.sets))]
        if not found:
            raise OaiError("noRecordsMatch", "没有符合条件的记录")
        return found

    def _list(self, root, values, verb: str) -> None:
        query = self._query(verb, values)
        found = self._matching(query)
        if query.offset >= len(found) and query.offset:
            raise OaiError("badResumptionToken", "resumptionToken 已过期（记录有变化），请重新开始")
        page = found[query.offset:query.offset + self.page_size]
        node = etree.SubElement(root, f"{{{OAI}}}{verb}")
        for record in page:
            if verb == "ListRecords":
                self._record(node, record)
            else:
                self._header(node, record)
        following = query.offset + len(page)
        if query.offset or following < len(found):
            token = etree.SubElement(node, f"{{{OAI}}}resumptionToken", completeListSize=str(len(found)),
                                     cursor=str(query.offset))
            token.text = query.token(following) if following < len(found) else None

    def _header(self, parent, record: OaiRecord) -> None:
        header = etree.SubElement(parent, f"{{{OAI}}}header")
        if record.deleted:
            header.set("status", "deleted")
        etree.SubElement(header, f"{{{OAI}}}identifier").text = self.identifier(record.slug)
        etree.SubElement(header, f"{{{OAI}}}datestamp").text = _stamp(record.datestamp)
        for spec in record.sets:
            etree.SubElement(header, f"{{{OAI}}}setSpec").text = spec

    def _record(self, parent, record: OaiRecord) -> None:
        node = etree.SubElement(parent, f"{{{OAI}}}record")
        self._header(node, record)
        if record.story is None:
            return
        metadata = etree.SubElement(node, f"{{{OAI}}}metadata")
        dc = etree.SubElement(metadata, f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
        dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
        fields = dublin_core(record.story, f"{self.site_url}/stories/{record.story.slug}")
        for element in ELEMENTS:
            for value in fields.get(element, []):
                etree.SubElement(dc, f"{{{DC}}}{element}").text = value
