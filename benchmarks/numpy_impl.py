"""Plain NumPy: the same rules hand-written on int64 arrays (fen, ppm, persons), default options only.

Options implemented: upgrade_payment = full, double_high_scope = school, public_expenditure_scope =
secondary, part_time_denominator = headcount, plan_window = 2023-01-01..2025-12-31. Parameters are
the values in force on 31 December of the year (hand-copied from the policy's parameters.yaml).

``load`` (excluded from the timing) turns the Parquet frames into arrays: codes become small integer
codes, the links (certification → enterprise/platform, platform → school) become row indexes, dates
become days since 1970-01-01. ``calculate`` is the timed part. Runs in the benchmark venv.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from common import OUTPUTS, WINDOW, YEAR, checksum_bytes, checksum_totals, src_on_path

src_on_path()
from zhijiao.policies.wenzhou_vet_2023.entities import SCHOOL_COUNTIES  # noqa: E402

Array = np.ndarray[Any, Any]
RATE_ONE = 1_000_000
LEVELS = ("city", "provincial", "national")  # level codes 0, 1, 2 for both kinds of certification
CODES = {
    "county": SCHOOL_COUNTIES,  # the 12 counties and 市直属; enterprises use the first 12
    "school_type": ("higher", "secondary", "technical"),
    "ownership": ("public", "private", "mixed"),
    "sponsor": ("city", "county"),
    "double_high": ("none", "provincial", "national"),
    "level": LEVELS,
}
PUBLIC, SECONDARY, CITY = 0, 1, 0

# Parameters in force on 31 December 2024, scaled: rates in ppm, money in fen.
UPLIFT_BY_DOUBLE_HIGH = np.array([0, 100_000, 200_000], dtype=np.int64)  # none, provincial, national
PUBLIC_EXPENDITURE_BASE = 250_000  # 2,500 yuan
PUBLIC_EXPENDITURE_UPLIFT = 200_000
INCENTIVE_RATE = 500_000  # 0.50 from 2023-03-23 (0.35 before)
PART_TIME_SHARE_CAP = 300_000
DONATION_MATCHING_RATE = 500_000
INTEGRATION_SUBSIDY = np.array([5_000_000, 20_000_000, 50_000_000, 0], dtype=np.int64)  # city, prov, nat
PLATFORM_AWARD = np.array([0, 30_000_000, 50_000_000, 0], dtype=np.int64)


def _days(day: str | dt.date) -> int:
    return (dt.date.fromisoformat(day) if isinstance(day, str) else day).toordinal() - dt.date(1970, 1, 1).toordinal()


@dataclass
class Population:
    school: dict[str, Array]
    enterprise_county: Array
    enterprise_cert: dict[str, Array]  # owner (row of enterprise), level code, date (days)
    platform_school: Array  # row of the platform's school
    platform_cert: dict[str, Array]


def _coded(frame: pl.DataFrame, column: str, codes: tuple[str, ...]) -> Array:
    mapping = {code: i for i, code in enumerate(codes)}
    return frame[column].replace_strict(mapping, return_dtype=pl.UInt8).to_numpy()


def _rows(keys: pl.Series, ids: pl.Series) -> Array:
    """Row index in ``ids`` of each key (every key must resolve)."""
    index = pl.DataFrame({"k": ids, "row": pl.int_range(len(ids), eager=True, dtype=pl.Int64)})
    joined = pl.DataFrame({"k": keys}).join(index, on="k", how="left", maintain_order="left")
    if joined["row"].null_count():
        raise SystemExit("a link does not resolve")
    return joined["row"].to_numpy()


def _certs(frame: pl.DataFrame, owners: pl.Series, link: str, rows: Array | None = None) -> dict[str, Array]:
    return {
        "owner": _rows(frame[link], owners) if rows is None else rows,
        "level": _coded(frame, "level", LEVELS).astype(np.int64),
        "date": frame["date"].cast(pl.Int32).to_numpy().astype(np.int64),
    }


def load(folder: Path) -> Population:
    return from_frames({name: pl.read_parquet(folder / f"{name}.parquet") for name in _FILES})


def from_frames(frames: dict[str, pl.DataFrame], links: dict[str, Array] | None = None) -> Population:
    """Arrays from one frame per entity in the engine's dtypes (Int64 fen, Date, String codes and ids);
    ``links``: the rows of each entity's link target when the caller resolved them already."""
    school = frames["school"]
    links = links or {}
    arrays: dict[str, Array] = {c: _coded(school, c, CODES[c]) for c in _SCHOOL_CODES}
    for column in _SCHOOL_NUMBERS:
        arrays[column] = school[column].fill_null(0).to_numpy().astype(np.int64)
    arrays["n"] = np.array(len(school))
    return Population(
        school=arrays,
        enterprise_county=_coded(frames["enterprise"], "county", CODES["county"]),
        enterprise_cert=_certs(
            frames["enterprise_certification"],
            frames["enterprise"]["id"],
            "enterprise_id",
            links.get("enterprise_certification"),
        ),
        platform_school=links["platform"]
        if "platform" in links
        else _rows(frames["platform"]["school_id"], school["id"]),
        platform_cert=_certs(
            frames["platform_certification"],
            frames["platform"]["id"],
            "platform_id",
            links.get("platform_certification"),
        ),
    )


_FILES = ("school", "enterprise", "enterprise_certification", "platform", "platform_certification")
_SCHOOL_CODES = ("county", "school_type", "ownership", "sponsor", "double_high")
_SCHOOL_NUMBERS = (
    "students",
    "base_appropriation_per_student",
    "full_time_teachers",
    "part_time_teachers",
    "local_avg_teacher_salary",
    "market_service_income",
    "capital_donations",
)


def mul_rate(amount: Array | int, rate_ppm: Array | int) -> Array:
    """amount × rate (ppm), rounded half up to the amount's last place: zhijiao's units.mul_rate."""
    return (np.asarray(amount, dtype=np.int64) * rate_ppm + RATE_ONE // 2) // RATE_ONE


def school_outputs(s: dict[str, Array]) -> dict[str, Array]:
    public = s["ownership"] == PUBLIC
    rate = UPLIFT_BY_DOUBLE_HIGH[s["double_high"]] * public  # C1
    eligible = public & (s["school_type"] == SECONDARY)  # C4 (scope: secondary)
    base, students = s["base_appropriation_per_student"], s["students"]
    per_student_public = int(mul_rate(PUBLIC_EXPENDITURE_BASE, RATE_ONE + PUBLIC_EXPENDITURE_UPLIFT))
    cap = (PART_TIME_SHARE_CAP * s["full_time_teachers"]) // (RATE_ONE - PART_TIME_SHARE_CAP)  # C7
    funded = np.minimum(s["part_time_teachers"], cap)  # C8
    return {
        "appropriation_uplift_rate": rate,
        "per_student_appropriation": mul_rate(base, rate + RATE_ONE),  # C2
        "appropriation_uplift_amount": mul_rate(students * base, rate),  # C3
        "public_expenditure_per_student": eligible * np.int64(per_student_public),  # C4
        "public_expenditure_uplift_amount": eligible  # C5
        * mul_rate(students * PUBLIC_EXPENDITURE_BASE, PUBLIC_EXPENDITURE_UPLIFT),
        "social_service_incentive_cap": mul_rate(s["market_service_income"], INCENTIVE_RATE),  # C6
        "part_time_teacher_cap": cap,
        "funded_part_time_teachers": funded,
        "part_time_teacher_funding": funded * s["local_avg_teacher_salary"],  # C9
        "part_time_teachers_over_cap": np.maximum(s["part_time_teachers"] - cap, 0),  # C10
        "donation_matching_min": mul_rate(s["capital_donations"], DONATION_MATCHING_RATE),  # C11
    }


def certification_awards(cert: dict[str, Array], owners: int, amounts: Array, year: int) -> Array:
    """C12/C13 under upgrade_payment = full: each level pays once per entity, for its first certification
    inside the window, in the year of that certification's date.

    The first qualifying date per (entity, level) is a scatter-minimum; it is due when it falls in the year.
    """
    start, end = _days(WINDOW[0]), _days(WINDOW[1])
    date = cert["date"]
    qualifies = (date >= start) & (date <= end)
    slot = cert["owner"][qualifies] * 4 + cert["level"][qualifies]
    first = np.full(owners * 4, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, slot, date[qualifies])
    due = (first >= _days(dt.date(year, 1, 1))) & (first <= _days(dt.date(year, 12, 31)))
    return (due.reshape(owners, 4) * amounts).sum(axis=1)


def _grouped(codes: Array, values: Array, size: int) -> Array:
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, codes, values)
    return out


def totals(
    s: dict[str, Array], school: dict[str, Array], subsidy: Array, award: Array, pop: Population
) -> dict[str, Any]:
    """C14: fiscal cost by payer, article and county, exact int64 fen."""
    art20 = school["appropriation_uplift_amount"] + school["public_expenditure_uplift_amount"]
    art20 += school["donation_matching_min"]
    art13 = school["part_time_teacher_funding"]
    school_cost = art20 + art13
    by_article = {"art03": int(award.sum()), "art07": int(subsidy.sum()), "art13": int(art13.sum())}
    by_article["art20"] = int(art20.sum())
    city_schools = int(school_cost[s["sponsor"] == CITY].sum())
    counties = len(SCHOOL_COUNTIES)
    by_county = _grouped(s["county"], school_cost, counties)
    by_county += _grouped(pop.enterprise_county, subsidy, counties)
    by_county += _grouped(s["county"][pop.platform_school], award, counties)  # the platform's school's county
    return {
        "fiscal_cost": sum(by_article.values()),
        "by_payer": {
            "city": city_schools + by_article["art03"],
            "county": int(school_cost.sum()) - city_schools + by_article["art07"],
        },
        "by_article": by_article,
        "by_county": dict(zip(SCHOOL_COUNTIES, (int(v) for v in by_county), strict=True)),
    }


def calculate(pop: Population, year: int = YEAR) -> dict[str, Any]:
    school = school_outputs(pop.school)
    owners = len(pop.enterprise_county)
    subsidy = certification_awards(pop.enterprise_cert, owners, INTEGRATION_SUBSIDY, year)
    award = certification_awards(pop.platform_cert, len(pop.platform_school), PLATFORM_AWARD, year)
    return {
        "school": school,
        "enterprise.integration_subsidy": subsidy,
        "platform.platform_award": award,
        "totals": totals(pop.school, school, subsidy, award, pop),
    }


def arrays(result: dict[str, Any]) -> dict[str, Array]:
    """Every compared output as an int64 array, keyed as in common.OUTPUTS."""
    out = {f"school.{k}": v for k, v in result["school"].items()}
    out["enterprise.integration_subsidy"] = result["enterprise.integration_subsidy"]
    out["platform.platform_award"] = result["platform.platform_award"]
    return {k: np.asarray(out[k], dtype=np.int64) for k in OUTPUTS}


def checksums(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {k: checksum_bytes(v.astype("<i8").tobytes(), int(v.sum())) for k, v in arrays(result).items()}
    out["totals (C14)"] = checksum_totals(result["totals"])
    return out
