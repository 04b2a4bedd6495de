"""What every command shares: the policy it applies, the language switch and turning user errors into messages,
never tracebacks."""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zhijiao.engine.errors import InputError, PolicyError
from zhijiao.engine.explain import shown
from zhijiao.engine.policy import Policy
from zhijiao.engine.succession import PlansInTurn
from zhijiao.language import Lang, say

if TYPE_CHECKING:
    from rich.console import Console

HELP = "职教政策落实平台 / zhijiao — Wenzhou vocational-education plan 2023–2025 (温政办〔2023〕32号)"


class _Stderr:
    """rich's console for messages on stderr, made when the first message is printed: a one-situation
    ``zhijiao calc`` that succeeds never loads rich (a tenth of its start-up)."""

    _made: Console | None = None

    @property
    def console(self) -> Console:
        if self._made is None:
            from rich.console import Console  # noqa: PLC0415 -- see the class's description

            self._made = Console(stderr=True, soft_wrap=True)
        return self._made

    def print(self, *objects: object, markup: bool | None = None, highlight: bool | None = None) -> None:
        self.console.print(*objects, markup=markup, highlight=highlight)


err = _Stderr()
LangOption = Annotated[Lang, typer.Option(help="语言 / language")]


@cache
def the_policy() -> Policy:
    """The plan the command line applies, loaded once per process. The one place of the command line (and, through
    ``cli.platform``, of the app it serves) that names a plan: everything below receives it."""
    from zhijiao.policies.wenzhou_vet_2023 import load  # noqa: PLC0415 -- loaded only by the commands that need it

    return load()


PLANS_VARIABLE = "ZHIJIAO_PLANS"  # the plans in force in turn, by package name, comma-separated
DEMO_PLANS = ("wenzhou_vet_2023", "wenzhou_vet_2026_demo")  # zhijiao serve --demo: the demo successor adopted


def _demo_successor() -> Policy:
    from zhijiao.policies.wenzhou_vet_2026_demo import load  # noqa: PLC0415 -- only where it is named

    return load()


PLANS: dict[str, Callable[[], Policy]] = {"wenzhou_vet_2023": the_policy, "wenzhou_vet_2026_demo": _demo_successor}


def _plan(name: str) -> Policy:
    if name in PLANS:
        return PLANS[name]()
    known = ", ".join(PLANS)
    raise PolicyError(
        f"{PLANS_VARIABLE}: unknown plan {name!r} (known: {known})",
        f"{PLANS_VARIABLE}：未知方案“{name}”（可用：{known}）",
    )


def the_plans(*, demo: bool = False) -> PlansInTurn:
    """The plans a calculation applies, each from its start: ``ZHIJIAO_PLANS`` if set, else the plan of 2023
    alone, or with the demo's adopted successor in the demo. A calculation takes the plan in force on its date."""
    named = [n.strip() for n in os.environ.get(PLANS_VARIABLE, "").split(",") if n.strip()]
    names = named or (list(DEMO_PLANS) if demo else ["wenzhou_vet_2023"])
    return PlansInTurn.of([_plan(name) for name in names])


@contextmanager
def user_errors(lang: Lang) -> Iterator[None]:
    """Bad input ends with every problem named on stderr and exit code 2; nothing half-done is printed."""
    try:
        yield
    except InputError as error:
        err.print(
            f"[bold red]{error.headline[lang.value]}：[/]"
            if lang is Lang.zh
            else f"[bold red]{error.headline['en']}:[/]"
        )
        for message in error.messages(lang.value):
            err.print(f"  • {message}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    except PolicyError as error:
        err.print(say(lang, "[bold red]无法计算：[/]", "[bold red]Cannot calculate:[/]"), error.message(lang.value))
        raise typer.Exit(2) from None


def _not_a_number(constant: str) -> object:
    """JSON allows no NaN or Infinity; Python's reader would, and money cannot be either."""
    raise ValueError(constant)


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def read_json(path: str, lang: Lang, what: str) -> Any:  # noqa: ANN401 -- a JSON document of any shape
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as error:
        err.print(say(lang, f"无法读取{what} {path}：{error.strerror}", f"Cannot read {what} {path}: {error.strerror}"))
        raise typer.Exit(2) from None
    try:
        return json.loads(text, parse_constant=_not_a_number, parse_float=_finite)
    except ValueError as error:
        if not isinstance(error, json.JSONDecodeError):
            err.print(say(lang, f"{what} {path}：{error} 不是有限数", f"{what} {path}: {error} is not a finite number"))
            raise typer.Exit(2) from None
        err.print(
            say(
                lang,
                f"{what} {path} 不是有效的 JSON：第{error.lineno}行第{error.colno}列，{error.msg}",
                f"{what} {path} is not valid JSON: line {error.lineno} column {error.colno}, {error.msg}",
            )
        )
        raise typer.Exit(2) from None


def read_document(path: str, lang: Lang, what: str) -> Any:  # noqa: ANN401 -- YAML or JSON
    if path.endswith((".yaml", ".yml")):
        import yaml  # noqa: PLC0415 -- only reforms written as YAML need it

        try:
            with open(path, encoding="utf-8") as handle:  # noqa: PTH123
                return json.loads(json.dumps(yaml.safe_load(handle), default=str))
        except (OSError, yaml.YAMLError) as error:
            err.print(say(lang, f"无法读取{what} {path}：{error}", f"Cannot read {what} {path}: {error}"))
            raise typer.Exit(2) from None
    return read_json(path, lang, what)


def parse_options(pairs: list[str] | None, lang: Lang) -> dict[str, str]:
    options = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            err.print(say(lang, f"--option 应为 名称=取值，实为 {pair!r}", f"--option takes NAME=VALUE, got {pair!r}"))
            raise typer.Exit(2)
        options[name.strip()] = value.strip()
    return options


def print_json(document: Any) -> None:  # noqa: ANN401 -- JSON
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=shown) + "\n")
