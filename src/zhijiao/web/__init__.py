"""The platform people use: server-rendered pages (Jinja2 + htmx) and, beside them, the REST API."""
