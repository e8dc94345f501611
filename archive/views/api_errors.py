"""Every error under /api/ answers JSON with a Chinese message, never an HTML page: the
site's own error pages stay for every other address, and an error that has no page of its
own gets the site's error page with the same Chinese message (never Werkzeug's English one)."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, default_exceptions

MESSAGES = {
    400: "请求有误，无法处理。", 401: "请先登录。", 403: "您的账号没有这项操作的权限。",
    404: "没有找到，或您无权查看。", 405: "这个地址不支持该请求方法。", 409: "与现有内容冲突，没有保存。",
    413: "提交的内容超过了允许的大小。", 415: "请求须为 JSON。", 422: "内容不合格，没有保存。",
    428: "缺少必需的前提条件（如 base_version）。", 429: "请求太频繁，请稍后再试。",
    500: "服务器处理时出了问题，您的内容没有丢失，请稍后再试。",
}
NAMES = {404: "not_found", 405: "method_not_allowed", 500: "server_error"}
TITLES = {400: "请求有误", 401: "请先登录", 403: "没有权限", 405: "不支持的请求", 409: "内容冲突", 415: "格式不对",
          422: "内容不合格", 429: "请求太频繁"}


def is_api_request() -> bool:
    """Is this request for an /api/ address?"""
    return request.path == "/api" or request.path.startswith("/api/")


def api_error(error: HTTPException):
    """The JSON answer for an HTTP error: {"error": short name, "message": Chinese sentence}."""
    code = error.code or 500
    name = NAMES.get(code) or (error.name or "error").lower().replace(" ", "_").replace("'", "")
    response = jsonify(error=name, message=MESSAGES.get(code, "请求无法完成。"))
    response.status_code = code
    if code == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def page_error(error: HTTPException):
    """The site's error page for an HTTP error that has no page of its own."""
    code = error.code or 500
    response = make_response(render_template("error.html", code=code, title=TITLES.get(code, "无法完成"),
                                             message=MESSAGES.get(code, "请求无法完成。")), code)
    if code == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _json_for_api(previous: Callable | None) -> Callable:
    def handle(error: HTTPException):
        if is_api_request():
            return api_error(error)
        return previous(error) if previous is not None else page_error(error)
    return handle


def init_app(app: Flask) -> None:
    """Put a JSON-for-/api/ handler in front of each HTTP error handler (call after the others)."""
    for code, exception in default_exceptions.items():
        previous = app.error_handler_spec[None].get(code, {}).get(exception)
        app.register_error_handler(code, _json_for_api(previous))
