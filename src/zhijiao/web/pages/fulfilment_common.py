"""What the fulfilment pages share beyond the HTTP kernel: how the batch form names a payer."""

from __future__ import annotations

CITY = "city"


def payer_key(payer: str, county: str | None) -> str:
    """city, or county:<code>: the one payer of a batch, as the batch form names it."""
    return CITY if payer == CITY else f"county:{county}"
