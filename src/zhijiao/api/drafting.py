"""Placeholder until the drafting API lands (issue 6)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1")
