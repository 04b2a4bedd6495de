"""Placeholder until this area's pages land (issue 4)."""

from fastapi import APIRouter

router = APIRouter()
