"""/oai: the OAI-PMH 2.0 repository (archive.exchange.oai) for national and university
harvesters.  Anonymous by design: it shows only what anyone may read."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, request

from archive.accounts.web import csrf_exempt
from archive.context import current_context
from archive.exchange.oai import OaiProvider
from archive.exchange.oai_records import OaiRepository

bp = Blueprint("oai", __name__)


def provider() -> OaiProvider:
    """The OAI-PMH provider over this site's catalog and configured address."""
    site = current_app.config["BASE_URL"]
    email = current_app.config.get("OAI_ADMIN_EMAIL") or f"archive@{urlsplit(site).hostname or 'localhost'}"
    context = current_context()
    return OaiProvider(OaiRepository(context.catalog, context.audit), site, email,
                       int(current_app.config.get("OAI_PAGE_SIZE") or 100))


@bp.route("/oai", methods=["GET", "POST"])
@csrf_exempt  # a harvester's POST reads, as its GET does (OAI-PMH 2.0 section 3.1.1); no session, no change
def endpoint():
    """One OAI-PMH request (GET, or POST with a form body); the answer is always XML, errors as the protocol defines them."""
    source = request.form if request.method == "POST" else request.args
    args = {key: source.getlist(key) for key in source}
    body = provider().answer(args, dt.datetime.now(dt.UTC))
    return Response(body, mimetype="text/xml", headers={"Cache-Control": "no-cache"})
