"""The registry in the browser: lists, a page per record, edit forms, import and export."""

from __future__ import annotations

from fastapi import APIRouter

from zhijiao.web.pages import registry_entity, registry_files, registry_forms, registry_lists

router = APIRouter()
# The forms come before the record pages: "/registry/schools/{code}/years/{year}/edit" is theirs.
for area in (registry_lists, registry_forms, registry_files, registry_entity):
    router.include_router(area.router)
