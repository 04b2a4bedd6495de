"""Walking the platform in English as each demo account, and finding Chinese on a page that is neither data (the
names people typed, stored in the database) nor a cited source (a document's number or title, which is its name
in any language)."""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from fastapi.testclient import TestClient
from sqlalchemy import JSON, Engine, String, Text, inspect, select, text

CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
# A run of Chinese: Chinese characters and punctuation, with the digits and letters between them (学校S1, 2023年).
RUN = re.compile(rf"[{CJK}](?:[{CJK}0-9A-Za-z.·\-]*[{CJK}])?")
# Cited sources: document numbers (温政办〔2023〕32号; the demo successor's 温政办〔2026〕演示号), titles in book-title
# marks, and the source's own words quoted in an English sentence (The text says "分别给予" …).
SOURCES = re.compile(rf"[{CJK}]{{1,8}}〔\d{{4}}〕(?:\d+|演示)号|《[^》]{{1,80}}》|\"[^\"]{{1,40}}\"|“[^”]{{1,40}}”")
# Not pages: files, and what changes the session.
SKIPPED = re.compile(r"/logout|\.(xlsx|csv|pdf|json|js|css|png|svg|woff2?)$|/export|/download|/template|/api/|/static/")
PER_ACCOUNT = 60  # pages read per account: every kind of page, and several of each
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Visible(HTMLParser):
    """The text a reader sees (not scripts, styles, or <pre> blocks, which show a record's own data), and the
    links. An element marked ``lang="zh"`` is Chinese on purpose — the source's own text shown beside its English,
    the language switch's 中文 — and is skipped with what it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._open: list[tuple[str, bool]] = []  # open elements, and whether each hides its content

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        hides = tag in ("script", "style", "pre", "textarea") or (dict(attrs).get("lang") or "").startswith("zh")
        if tag not in VOID:
            self._open.append((tag, hides))
            self._hidden += hides
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        if not self._hidden:
            self.text.extend(v for k, v in attrs if k in ("placeholder", "aria-label", "alt") and v)

    def handle_endtag(self, tag: str) -> None:
        # Elements HTML lets close implicitly (<li>, <p>, <td>) are closed with the first explicit end above them.
        if any(name == tag for name, _ in self._open):
            while self._open:
                name, hides = self._open.pop()
                self._hidden -= hides
                if name == tag:
                    break

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def runs(values: Iterable[str], *, cited_aside: bool = True) -> set[str]:
    found: set[str] = set()
    for value in values:
        found.update(RUN.findall(SOURCES.sub(" ", value) if cited_aside else value))
    return found


def data_runs(engine: Engine) -> set[str]:
    """Every run of Chinese in the database's text: what people typed and imported (names, notes, texts)."""
    values: list[str] = []
    inspector = inspect(engine)
    with engine.connect() as connection:
        for table in inspector.get_table_names():
            for column in inspector.get_columns(table):
                if isinstance(column["type"], String | Text | JSON):  # JSON: lists of names, texts of meetings
                    query = select(text(f'"{column["name"]}"')).select_from(text(f'"{table}"'))
                    found = [str(v) for v in connection.scalars(query) if v]
                    if isinstance(column["type"], JSON):  # read as stored: "\u5e02…" until decoded
                        found = [json.dumps(json.loads(v), ensure_ascii=False) for v in found]
                    values.extend(found)
    return runs(values, cited_aside=False)


def chinese_left(page: str, allowed: set[str]) -> tuple[set[str], list[str]]:
    parser = _Visible()
    parser.feed(page)
    return runs(parser.text) - allowed, parser.links


def walk(client: TestClient, start: Iterable[str], allowed: set[str]) -> tuple[int, dict[str, set[str]]]:
    """Pages reachable from ``start`` by links (GET, HTML, this site): how many were read, and each with the
    Chinese it has left."""
    queue, seen, found, read = deque(start), set(start), {}, 0
    while queue and read < PER_ACCOUNT:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        read += 1
        left, links = chinese_left(response.text, allowed)
        if left:
            found[path] = left
        for href in links:
            target, _ = urldefrag(href)
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/") or SKIPPED.search(parts.path):
                continue
            key = re.sub(r"lang=\w+&?", "", target).rstrip("?&")
            if key not in seen:
                seen.add(key)
                queue.append(key)
    return read, found
