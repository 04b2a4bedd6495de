"""The API's documentation page, served whole by the app: Swagger UI's script and style are vendored under
/static/vendor/swagger-ui/ (the platform runs on an intranet with no internet, and FastAPI's own page loads them
from a CDN), and the page starts it from a file rather than an inline script, so the Content-Security-Policy
(script-src 'self') holds here as on every other page."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from zhijiao.http.deps import public

ASSETS = "/static/vendor/swagger-ui"
OPENAPI_URL = "/api/v1/openapi.json"
DOCS_URL = "/api/v1/docs"

router = APIRouter()


@router.get(DOCS_URL, include_in_schema=False, dependencies=[public()])
def docs() -> HTMLResponse:
    title = escape("职教政策落实平台 zhijiao API")
    return HTMLResponse(
        f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{OPENAPI_URL}"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="{ASSETS}/init.js"></script>
</body>
</html>
"""
    )
