"""The bank's result file as tests write it (decision 0017): a CSV under the default layout's headers, one row per
(reference, result, date, reason) — the result in the bank's words (成功, 失败, 退票 …), the date as 2025-03-05."""

from __future__ import annotations


def returns_csv(*rows: tuple[str, str, str, str]) -> bytes:
    lines = ["业务参考号,交易结果,交易日期,失败原因", *(",".join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")
