"""Placeholder until the fulfilment pages land (issue 5)."""

from fastapi import APIRouter

router = APIRouter()
