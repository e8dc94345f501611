"""The web side of storage that cannot be written: a refused write is explained in Chinese (503 or
507, JSON for the API), never a 500; a read-only site tells signed-in archivists so on every page
and refuses the writes of the views that do not handle a refusal themselves.

The editing, upload and editing-API views catch StorageError where they can show the form again
with everything the archivist typed; this module answers for the rest.
"""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request

from archive.accounts.web import SAFE_METHODS, wants_json
from archive.context import current_context
from archive.read_only import SearchUnavailable
from archive.safe_write import StorageError, as_storage_error

KEEP_TYPED = {"edit", "upload", "edit_api"}  # blueprints that refuse themselves, keeping what was typed
HARMLESS = {"auth.login", "auth.logout", "edit.preview", "oai.endpoint"}  # POSTs a read-only site still answers


def not_saved(error: StorageError) -> str:
    """The sentence a form shows above what the archivist typed."""
    advice = "腾出存储空间" if error.status == 507 else "恢复存储写入"
    return f"{error.message}，没有保存。您填写的内容都保留在下面；请联系管理员{advice}后再保存。"


def explain(error: StorageError):
    """The answer to a request whose write the storage refused."""
    if wants_json():
        return jsonify(error=f"{error.message}，没有保存" if not isinstance(error, SearchUnavailable)
                       else error.message), error.status
    if isinstance(error, SearchUnavailable):
        title, message = "搜索暂不可用", f"{error.message}。其他页面可以照常阅读。"
    else:
        title = "暂时无法保存"
        message = (f"{error.message}，这次操作没有完成，已保存的内容都还在。"
                   "如果刚才填写了表单，请用浏览器的“后退”回到上一页，内容通常仍在。")
    return render_template("error.html", code=error.status, title=title, message=message), error.status


def refuse_writes_when_read_only():
    """Before a state-changing request on a read-only site: refuse it unless its view handles that."""
    mode = current_context().read_only
    if mode is None or request.method in SAFE_METHODS:
        return None
    if request.blueprint in KEEP_TYPED or request.endpoint in HARMLESS:
        return None
    return explain(mode.refusal())


def init_app(app: Flask) -> None:
    """The refusal handler, the read-only guard and the `site_read_only` template value."""
    @app.errorhandler(OSError)
    def refused_write(error: OSError):
        storage = as_storage_error(error)
        if storage is None:
            raise error  # any other OSError is a fault: the 500 page
        return explain(storage)

    app.before_request(refuse_writes_when_read_only)
    app.context_processor(lambda: {"site_read_only": current_context().read_only})
