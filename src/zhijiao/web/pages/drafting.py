"""Placeholder until the drafting pages land (issue 6)."""

from fastapi import APIRouter

router = APIRouter()
