"""Money as people type it and read it: yuan text ↔ integer fen, exactly, under one ceiling (the shared kernel)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from zhijiao.refusals import Invalid

FEN_PER_YUAN = 100
FEN_PER_WAN = 1_000_000  # 万元, as officials write large sums
FEN_PER_MILLION = 100_000_000  # the English reader's "¥ million"
FEN_PER_YI = 10_000_000_000  # 亿元, as T1's ten billion is read
MAX_FEN = 10**15  # ten trillion yuan: above any budget, and well inside the 64-bit money columns
FEN_DIGITS = len(str(MAX_FEN))  # the most digits an amount in fen typed or posted may have


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


def yuan(fen: int) -> Decimal:
    """Exact yuan of integer fen: a workbook cell holds 1234.56, never a float's approximation of it."""
    return Decimal(fen) / FEN_PER_YUAN


def fen(yuan_amount: object) -> int:
    """Integer fen of an exact yuan amount (an int, a Decimal, or the engine's two-place float, whose ``str`` is
    that decimal). A fraction of a fen is a bug upstream, so it is refused, not rounded."""
    amount = Decimal(str(yuan_amount)) * FEN_PER_YUAN
    if amount != amount.to_integral_value():
        raise ValueError(f"{yuan_amount!r} yuan is not a whole number of fen")
    return int(amount)


def nearest_fen(yuan_amount: Decimal) -> int:
    """A derived yuan figure that is no payment (a target's path, a share of one) to the nearest fen, half up:
    for showing it, never for paying it."""
    return int((yuan_amount * FEN_PER_YUAN).to_integral_value(rounding=ROUND_HALF_UP))


def fen_to_yuan(fen: int | None) -> str | None:
    """Integer fen as exact yuan text (123456 → "1234.56")."""
    if fen is None:
        return None
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole}.{cents:02d}"
