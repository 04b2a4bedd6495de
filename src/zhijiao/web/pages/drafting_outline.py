"""A new plan's first text as officials paste it: part headings and articles, one a line.

    一、总体要求
    指导思想：坚持……
    第二条 发展目标：到2028年……

A line that is a part heading (一、…, 第一部分 …, or # …) opens a part; every other line is an article,
"标题：正文" (a leading 第N条 or "N." is dropped: numbers are positions, given by the order). Every bad line
is named, and nothing is created if any is bad.
"""

from __future__ import annotations

import re

from zhijiao.drafting.versions import ArticleText
from zhijiao.engine.errors import InputError, Problem

MAX_ARTICLES = 300
MAX_TITLE = 200
PART = re.compile(r"^(?:#+\s*|[一二三四五六七八九十]+、|第[一二三四五六七八九十0-9]+部分\s*)(.*)$")
NUMBER = re.compile(r"^(?:第[一二三四五六七八九十百0-9]+条|[0-9]+[.、．])\s*")
COLON = re.compile(r"[：:]")


def _problem(line: int, zh: str, en: str) -> Problem:
    return Problem({"zh": f"第{line}行", "en": f"line {line}"}, "", zh, en)


def parse_outline(text: str) -> list[ArticleText]:
    articles: list[ArticleText] = []
    problems: list[Problem] = []
    part_number, part_title = 1, "第一部分"
    seen_part = False
    for line_number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        heading = PART.match(line)
        if heading:
            part_number += 1 if seen_part or articles else 0
            part_title, seen_part = line.lstrip("# ").strip() or heading.group(1), True
            continue
        body = NUMBER.sub("", line)
        parts = COLON.split(body, maxsplit=1)
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():  # noqa: PLR2004 -- title and text
            problems.append(_problem(line_number, "应写作“标题：正文”", "write it as 'title: text'"))
            continue
        title, article_text = parts[0].strip(), parts[1].strip()
        if len(title) > MAX_TITLE:
            problems.append(_problem(line_number, f"标题超过{MAX_TITLE}字", f"title longer than {MAX_TITLE}"))
            continue
        articles.append(ArticleText(part_number, part_title, title, article_text))
    if not articles and not problems:
        problems.append(_problem(1, "请至少写一条条款", "write at least one article"))
    if len(articles) > MAX_ARTICLES:
        problems.append(_problem(1, f"条款超过{MAX_ARTICLES}条", f"more than {MAX_ARTICLES} articles"))
    if problems:
        raise InputError(problems)
    return articles
