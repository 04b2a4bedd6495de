"""The shape of every code a registry file carries, and the rule that a code is never stored different from what
the person typed.

Office programs turn a code typed into a column in the General format into a number: ``0105`` becomes 105 and an
18-digit credit code becomes 9.13303027245679E+17, its last digits gone. A cell that holds a number is taken as a
code only when it provably is one: an exact integer whose digits are exactly as many as every all-digit code of
that shape has (and which passes the shape's check). A code of free length, such as a school's own code, can never
be recovered from a number — 105 may have been typed as 105, 0105 or 00105 — so such a cell is refused, with how to
fix the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from zhijiao.registry.cell_error import CellError

# GB 32100-2015: 18 characters from 0–9 and the capital letters without I, O, S, V, Z; the last is a check
# character, a weighted sum modulo 31 of the 17 before it.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_LENGTH = 18
_EXACT_INTEGERS = 2**53  # above this a spreadsheet's number (a double) has lost digits
_FIX = (
    "请将该列设置为“文本”格式后重新输入编号，或使用本系统下载的导入模板",
    "format the column as Text and type the code again, or use the template this system provides",
)


_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC = re.compile(r"[0-9A-HJ-NP-RTUW-Y]{18}")


def uscc_check_character(first17: str) -> str:
    total = sum(map(int.__mul__, map(_USCC_VALUE.__getitem__, first17), USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _uscc_check(code: str) -> tuple[str, str] | None:
    """Why ``code`` is not a unified social credit code, or None."""
    if _USCC.fullmatch(code) and uscc_check_character(code[:17]) == code[17]:
        return None  # the common case, in one pass: the reasons below are worked out only for a wrong code
    if len(code) != USCC_LENGTH:
        return (
            f"统一社会信用代码应为18位，实为{len(code)}位",
            f"a unified social credit code has 18 characters, this has {len(code)}",
        )
    if code.upper() != code and all(c in USCC_ALPHABET for c in code.upper()):
        return "统一社会信用代码中的字母应为大写", "the letters of a unified social credit code are capitals"
    wrong = sorted({c for c in code if c not in USCC_ALPHABET})
    if wrong:
        shown = "、".join(wrong)
        return (
            f"统一社会信用代码不含字符 {shown}（只用数字和除 I、O、S、V、Z 以外的大写字母）",
            f"a unified social credit code has no {', '.join(wrong)} (digits and capitals other than I, O, S, V, Z)",
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        zh = f"统一社会信用代码校验位不符：按 GB 32100-2015 第18位应为 {expected}，实为 {code[17]}"
        en = f"the check character is wrong: by GB 32100-2015 the 18th character should be {expected}, not {code[17]}"
        return f"{zh}（请核对是否录错）", f"{en} (check the code for a typing error)"
    return None


@dataclass(frozen=True)
class CodeShape:
    """What a code column accepts. ``digits``: how many digits an all-digit code of this shape has, when that is
    fixed (only then can a number be recognised as the code); ``check``: a rule beyond the pattern."""

    name: str
    zh: str  # the shape in words, for the templates' guide and for messages
    en: str
    pattern: str
    digits: int | None = None
    check: Callable[[str], tuple[str, str] | None] | None = None

    def problem(self, code: str) -> tuple[str, str] | None:
        if self.check is not None:
            found = self.check(code)
            if found:
                return found
        if not _compiled(self.pattern).fullmatch(code):
            return f"“{code}” 不符合编号格式：{self.zh}", f"{code!r} is not a valid code: {self.en}"
        return None


USCC = CodeShape(
    "uscc",
    "18位统一社会信用代码（GB 32100-2015，校验位正确）",
    "18-character unified social credit code (GB 32100-2015, valid check character)",
    r"[0-9A-HJ-NP-RTUW-Y]{18}",
    digits=USCC_LENGTH,
    check=_uscc_check,
)
NATIONAL_MAJOR = CodeShape(
    "national_major",
    "6位数字的专业代码，国家控制专业后加K（《职业教育专业目录（2021年）》）",
    "6-digit major code of the national catalogue of vocational education majors (2021), K after a controlled major",
    r"[1-9][0-9]{5}K?",
    digits=6,
)
REGISTRY_CODE = CodeShape(
    "registry_code",
    "1–40个字符：字母、数字、“-”“_”“.”，不含空格和“/”",
    "1–40 characters: letters, digits, '-', '_' or '.', no spaces or '/'",
    r"[0-9A-Za-z][0-9A-Za-z._-]{0,39}",
)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _number_problem(shape: CodeShape, raw: float) -> tuple[str, str]:
    shown = f"{raw:.15g}" if isinstance(raw, float) else str(raw)
    if isinstance(raw, float) and abs(raw) >= _EXACT_INTEGERS:
        zh = f"该编号已被办公软件转成数字 {shown}，末几位已丢失，无法还原"
        en = f"the office program turned this code into the number {shown} and lost its last digits"
    elif shape.digits is not None:
        zh = f"该编号已被办公软件转成数字 {shown}，开头的0等可能已丢失（应为{shape.digits}位）"
        en = f"the office program turned this code into the number {shown}; leading zeros may be lost"
        en += f" ({shape.digits} digits expected)"
    else:
        zh = f"该编号已被办公软件转成数字 {shown}，无法确定原来的写法（如开头的0）"
        en = f"the office program turned this code into the number {shown}; what was typed (a leading 0?) is lost"
    return f"{zh}：{_FIX[0]}", f"{en}: {_FIX[1]}"


def from_number(shape: CodeShape, raw: float) -> str:
    """The code a number cell provably holds; raises CellError when it cannot be known."""
    exact = isinstance(raw, int) or (raw.is_integer() and abs(raw) < _EXACT_INTEGERS)
    if exact and raw >= 0 and shape.digits is not None:
        text = str(int(raw))
        if len(text) == shape.digits and shape.problem(text) is None:
            return text
    zh, en = _number_problem(shape, raw)
    raise CellError(zh, en)


def parse_code(shape: CodeShape, raw: object) -> str:
    """A cell of a code column as the code it holds; raises CellError naming what is wrong."""
    if isinstance(raw, bool):
        raise CellError(f"应为编号，实为 {raw}", f"expected a code, got {raw}")
    if isinstance(raw, int | float):
        return from_number(shape, raw)
    text = str(raw).strip()
    found = shape.problem(text)
    if found:
        raise CellError(*found)
    return text


__all__ = ["NATIONAL_MAJOR", "REGISTRY_CODE", "USCC", "CodeShape", "parse_code", "uscc_check_character"]
