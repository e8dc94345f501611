"""Web views: one blueprint per area, registered by `init_app`."""
from __future__ import annotations

from flask import Flask, render_template

from archive.content_model import declared_fields


def init_app(app: Flask) -> None:
    """Register every blueprint and the Chinese error pages."""
    from archive.views import home

    app.register_blueprint(home.bp)
    from archive.views import api, browse, caching, files, people, search, stories

    caching.init_app(app)
    for reading in (stories, files, people, browse, search, api):
        app.register_blueprint(reading.bp)

    from archive import accounts
    from archive.views import admin, auth, edit, edit_api, history, upload

    accounts.init_app(app)  # g.user, CSRF and security headers on every request
    for writing in (auth, admin, edit, history, upload, edit_api):
        app.register_blueprint(writing.bp)
    from archive.views import desk, recordings

    for listening in (recordings, desk):  # recording uploads and the transcription desk
        app.register_blueprint(listening.bp)

    from archive.views import lectures

    app.register_blueprint(lectures.bp)  # lecture planning for the speaker corps
    from archive.views import teaching

    app.register_blueprint(teaching.bp)  # reading mode, lesson sheets, exhibit booklets, the honour wall
    from archive.views import lecture_outputs

    app.register_blueprint(lecture_outputs.bp)  # its script, exports and presenter mode

    @app.errorhandler(404)
    def not_found(error):
        return render_template("error.html", code=404, title="页面不存在",
                               message="您要找的页面不存在，可能已被移动或删除。"), 404

    @app.errorhandler(413)
    def too_large(error):
        return render_template("error.html", code=413, title="文件太大",
                               message="上传的内容超过了允许的大小。"), 413

    @app.errorhandler(500)
    def server_error(error):
        return render_template("error.html", code=500, title="出错了",
                               message="服务器处理时出了问题，您的内容没有丢失，请稍后再试。"), 500

    from archive.views import api_errors, citation, oai

    app.register_blueprint(oai.bp)  # OAI-PMH for harvesters
    citation.init_app(app)  # Dublin Core <meta> tags in story pages
    app.add_template_global(declared_fields, "declared_fields")  # labels, hints, choices: forms and reading pages
    api_errors.init_app(app)  # last: JSON errors for /api/ in front of the HTML pages above
