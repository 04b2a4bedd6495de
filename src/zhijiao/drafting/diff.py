"""What changed between two versions, article by article: added, removed, merged, renumbered, changed
(with the changed characters marked), or unchanged. Articles are matched by key, not by number."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from sqlalchemy.orm import Session

from zhijiao.drafting.models import DraftArticle
from zhijiao.drafting.versions import articles


@dataclass(frozen=True)
class Segment:
    kind: str  # same | added | removed
    text: str


@dataclass(frozen=True)
class ArticleChange:
    kinds: tuple[str, ...]  # added | removed | merged | renumbered | retitled | changed | unchanged
    key: str
    old_number: int | None
    new_number: int | None
    title: str
    segments: list[Segment] = field(default_factory=list)
    absorbed_numbers: tuple[int, ...] = ()  # old numbers merged into this article


def text_diff(old: str, new: str) -> list[Segment]:
    """Character-level: Chinese has no spaces to split words on."""
    segments: list[Segment] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("same", old[a1:a2]))
            continue
        if a2 > a1:
            segments.append(Segment("removed", old[a1:a2]))
        if b2 > b1:
            segments.append(Segment("added", new[b1:b2]))
    return segments


def _change(old: DraftArticle | None, new: DraftArticle | None, absorbed: tuple[int, ...]) -> ArticleChange:
    if new is None:
        assert old is not None  # noqa: S101 -- one side exists by construction
        return ArticleChange(("removed",), old.article_key, old.number, None, old.title)
    if old is None:
        first = ("merged",) if absorbed else ("added",)
        return ArticleChange(first, new.article_key, None, new.number, new.title, absorbed_numbers=absorbed)
    kinds: list[str] = []
    if absorbed:
        kinds.append("merged")
    if old.number != new.number:
        kinds.append("renumbered")
    if old.title != new.title:
        kinds.append("retitled")
    if old.text != new.text:
        kinds.append("changed")
    segments = text_diff(old.text, new.text) if old.text != new.text else []
    return ArticleChange(tuple(kinds) or ("unchanged",), new.article_key, old.number, new.number, new.title,
                         segments, absorbed)  # fmt: skip


def compare(session: Session, old_version_id: int, new_version_id: int) -> list[ArticleChange]:
    """Every article of either version once, in the new version's order, removed ones where they stood."""
    old = {a.article_key: a for a in articles(session, old_version_id)}
    new = articles(session, new_version_id)
    new_keys = {a.article_key for a in new}
    changes: list[ArticleChange] = []
    for article in new:
        newly_absorbed = tuple(
            sorted(
                old[k].number for k in article.absorbed if k in old and k not in new_keys and k != article.article_key
            )
        )
        changes.append(_change(old.get(article.article_key), article, newly_absorbed))
    merged_away = {k for a in new for k in a.absorbed}
    for key, article in old.items():
        if key not in new_keys and key not in merged_away:
            position = next((i for i, c in enumerate(changes) if (c.old_number or 0) > article.number), len(changes))
            changes.insert(position, _change(article, None, ()))
    return changes
