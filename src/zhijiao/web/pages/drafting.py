"""The drafting pages (issue 6): plans under drafting, versions and their differences, meetings, consultation
rounds, feedback and dispositions, spreadsheets and the PDF; and the consulted units' own pages.

Each part is a module of its own. The routes with fixed words after ``/drafting/`` (versions, rounds, units,
items) come before ``/drafting/{plan_id}`` so that no word is read as a plan's id.
"""

from fastapi import APIRouter

from zhijiao.web.pages import (
    drafting_consult,
    drafting_costs,
    drafting_files,
    drafting_plans,
    drafting_rounds,
    drafting_versions,
)

router = APIRouter()
for part in (drafting_versions, drafting_costs, drafting_rounds, drafting_files, drafting_plans, drafting_consult):
    router.include_router(part.router)
