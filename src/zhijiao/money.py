"""Money as people type it and read it: yuan text ↔ integer fen, exactly, under one ceiling (the shared kernel)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from zhijiao.refusals import Invalid

FEN_PER_YUAN = 100
MAX_FEN = 10**15  # ten trillion yuan: above any budget, and well inside the 64-bit money columns


def yuan_to_fen(text: str, what: tuple[str, str]) -> int:
    """Yuan as typed (1,234.56) to integer fen, exactly: more than two decimals is refused, not rounded."""
    cleaned = text.strip().replace(",", "").replace("，", "").removeprefix("¥")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = Decimal("NaN")
    fen = amount * FEN_PER_YUAN if amount.is_finite() else amount
    if not amount.is_finite() or amount < 0 or fen != fen.to_integral_value() or fen > MAX_FEN:
        zh, en = what
        raise Invalid(f"{zh}“{text}”不是以元为单位、最多两位小数的金额。", f"{en} {text!r} is not an amount in yuan.")
    return int(fen)


def fen_to_yuan(fen: int | None) -> str | None:
    """Integer fen as exact yuan text (123456 → "1234.56")."""
    if fen is None:
        return None
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole}.{cents:02d}"
