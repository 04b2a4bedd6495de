"""Placeholder until the fulfilment API lands (issue 5)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1")
