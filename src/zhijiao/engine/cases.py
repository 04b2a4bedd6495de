"""Worked examples: cases written beside each article, run as tests and by ``zhijiao policy test``.

    - name: 公办中职学校为省级“双高”，生均拨款上浮10%
      name_en: Public secondary school in the provincial double-high plan, appropriation uplift 10%
      year: 2024
      schools: [{id: S1, ...}]
      expect:
        schools: {S1: {appropriation_uplift_rate: 0.10, appropriation_uplift_amount: 1200000}}
        totals: {fiscal_cost: 1800000}

Expected values are compared exactly, as decimals: 0.1 and 0.10 are equal, 0.1 and 0.1000001 are not.
With a reform, ``expect`` may have ``baseline`` and ``reform``. ``expect_error`` lists fragments the
error message must contain, for cases that must be refused. Every worked example has ``name_en``, the
name the English pages and ``--lang en`` show; a worked example without it does not load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from zhijiao.engine.errors import InputError, PolicyError
from zhijiao.engine.policy import Policy, read_yaml
from zhijiao.engine.situation import calculate_situation

_CASE_KEYS = {"name", "name_en", "expect", "expect_error", "covers"}


@dataclass(frozen=True)
class Case:
    name: str
    name_en: str
    source: str
    situation: Mapping[str, Any]
    expect: Mapping[str, Any]
    expect_error: tuple[str, ...]
    covers: tuple[str, ...]

    def title(self, lang: str) -> str:
        """The name a reader of ``lang`` ("zh" or "en") sees; Chinese when the case has no English name."""
        return self.name_en if lang == "en" and self.name_en else self.name


def load_cases(policy: Policy) -> list[Case]:
    """The worked examples written beside the package's articles."""
    if policy.root is None:
        return []
    cases = []
    for path in sorted(policy.root.rglob("cases.yaml")):
        cases.extend(cases_in(path, str(path.relative_to(policy.root)), english=True))
    return cases


def _english_name(item: Mapping[str, Any], path: Path, english: bool) -> str:
    name_en = item.get("name_en")
    if isinstance(name_en, str) and name_en.strip():
        return name_en.strip()
    if english or name_en is not None:
        raise PolicyError(
            f"{path}: the case {item.get('name')!r} needs an English name: add a name_en line after its name",
            f"{path}：算例“{item.get('name')}”缺少英文名称，请在name下一行写name_en",
        )
    return ""


def cases_in(path: Path, source: str, *, english: bool = False) -> list[Case]:
    """The cases of one YAML file (worked examples, or a test suite's refused inputs). With ``english``, as for
    the worked examples readers see, each case must have a ``name_en``."""
    # Round-trip through JSON so YAML dates and numbers arrive as a JSON client would send them.
    return [
        Case(
            name=item["name"],
            name_en=_english_name(item, path, english),
            source=source,
            situation={k: v for k, v in item.items() if k not in _CASE_KEYS},
            expect=item.get("expect") or {},
            expect_error=tuple(item.get("expect_error") or ()),
            covers=tuple(item.get("covers") or ()),
        )
        for item in json.loads(json.dumps(read_yaml(path) or [], default=str))
    ]


def _flatten(prefix: str, value: Any) -> Iterator[tuple[str, Any]]:  # noqa: ANN401 -- JSON values
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _flatten(f"{prefix}.{key}" if prefix else str(key), inner)
    else:
        yield prefix, value


def _lookup(document: Mapping[str, Any], path: str) -> Any:  # noqa: ANN401 -- JSON values
    node: Any = document
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return KeyError(path)
        node = node[part]
    return node


def _equal(expected: Any, actual: Any) -> bool:  # noqa: ANN401 -- JSON values
    numbers = (int, float)
    if isinstance(expected, numbers) and isinstance(actual, numbers) and not isinstance(expected, bool):
        return Decimal(str(expected)) == Decimal(str(actual))
    return bool(expected == actual)


def check_case(policy: Policy, case: Case) -> list[str]:
    """What differs from the case's expectation; empty when it holds."""
    try:
        result = calculate_situation(policy, case.situation).as_json()
    except InputError as error:
        message = " ".join(error.messages("zh") + error.messages("en"))
        if not case.expect_error:
            return [f"refused: {message}"]
        return [f"error lacks {fragment!r}: {message}" for fragment in case.expect_error if fragment not in message]
    if case.expect_error:
        return [f"expected an error containing {case.expect_error}, got a result"]
    failures = []
    for path, expected in _flatten("", case.expect):
        actual = _lookup(result, path)
        if isinstance(actual, KeyError):
            failures.append(f"{path}: missing from the result")
        elif not _equal(expected, actual):
            failures.append(f"{path}: expected {expected}, got {actual}")
    return failures
