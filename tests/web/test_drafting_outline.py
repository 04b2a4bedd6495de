"""A new plan's first text as officials paste it: parts and articles by line, every bad line named."""

from __future__ import annotations

import pytest

from zhijiao.drafting.sheets import article_number
from zhijiao.drafting.versions import ArticleText
from zhijiao.engine.errors import InputError
from zhijiao.web.pages.drafting_outline import parse_outline


def test_parts_and_articles_are_read_line_by_line():
    lines = (
        "指导思想：坚持产教融合。",  # before any heading: the first part
        "",
        "二、主要任务",
        "第三条 办学条件：改善办学条件：分步实施。",  # a number is only a position; the first colon splits
        "4. 双师队伍: 加强队伍建设。",
        "# 保障措施",
        "经费保障：落实生均拨款。",
    )
    text = "\n".join(lines)
    assert parse_outline(text) == [
        ArticleText(1, "第一部分", "指导思想", "坚持产教融合。"),
        ArticleText(2, "二、主要任务", "办学条件", "改善办学条件：分步实施。"),
        ArticleText(2, "二、主要任务", "双师队伍", "加强队伍建设。"),
        ArticleText(3, "保障措施", "经费保障", "落实生均拨款。"),
    ]


def test_every_bad_line_is_named_and_nothing_is_made():
    with pytest.raises(InputError) as refused:
        parse_outline("一、总体要求\n没有冒号的一行\n标题：\n：没有标题\n好的一条：内容")
    assert refused.value.messages("zh") == [
        "第2行: 应写作“标题：正文”",
        "第3行: 应写作“标题：正文”",
        "第4行: 应写作“标题：正文”",
    ]
    with pytest.raises(InputError, match="at least one article"):
        parse_outline("一、总体要求\n\n")


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("13", 13),
        ("第13条", 13),
        ("第十三条", 13),
        ("第二十条", 20),
        ("第一百零五条", 105),
        ("十", 10),
        ("第三款", None),
        ("x", None),
    ],
)
def test_article_numbers_are_read_as_officials_write_them(written: str, number: int | None):
    assert article_number(written) == number
