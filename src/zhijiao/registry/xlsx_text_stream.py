"""One string of an xlsx part taken in as expat hands it over, piece by piece, and refused as soon as it passes the
cell-length limit (issue 14). ElementTree, iterparse included, gives an element's text only once all of it has
been read, so a shared string or a cell of 150 MB of text cost 150 MB and more before any check could run.

A string counts as the cell will have it, after Excel's ``_xHHHH_`` escapes are decoded (``_x000D_`` is one
character): a string at the limit with line breaks in it is not refused for the length of its escapes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import IO
from xml.parsers import expat

_CHUNK = 64 * 1024  # bytes of a part parsed at a time

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ESCAPE_LENGTH = 7  # _xHHHH_: the last six characters of a piece may begin an escape that the next one ends
_SURROGATES = (0xD800, 0xDFFF)


def _unescaped(match: re.Match[str]) -> str:
    code = int(match[1], 16)
    return match[0] if _SURROGATES[0] <= code <= _SURROGATES[1] else chr(code)  # half a character is not text


def unescape(text: str) -> str:
    """Excel writes characters XML cannot carry as _xHHHH_ (and a literal "_x" as _x005F_x)."""
    return _ESCAPE.sub(_unescaped, text) if "_x" in text else text


class TooLong(Exception):
    """The string passed the limit: the reader, which knows whose string it is, says so."""


class Text:
    """A string's text, ``escaped`` if Excel's escapes are to be decoded in it (strings, not numbers).

    While the pieces fit the limit, which every string of a normal file does, they are kept as they came and decoded
    at the end, as ElementTree's text was. Past it, only an escaped string may still turn out to fit, so its
    escapes are decoded as the pieces come, each piece decoded where no later piece can change it; the decoded
    length is what is held and checked, so no more than the limit and a piece is ever kept.
    """

    __slots__ = ("_decoded", "_escaped", "_length", "_limit", "_past", "_pieces", "_tail")

    def __init__(self, limit: int, *, escaped: bool) -> None:
        self._limit, self._escaped = limit, escaped
        self._pieces: list[str] = []
        self._length = 0
        self._past = False
        self._decoded: list[str] = []
        self._tail = ""

    def add(self, piece: str) -> None:
        if self._past:
            self._decode(piece)
            return
        self._pieces.append(piece)
        self._length += len(piece)
        if self._length > self._limit:
            if not self._escaped:
                raise TooLong
            text, self._pieces, self._length, self._past = "".join(self._pieces), [], 0, True
            self._decode(text)

    def _decode(self, piece: str) -> None:
        text = self._tail + piece
        end = 0
        for match in _ESCAPE.finditer(text):
            end = match.end()
        # Escapes are matched left to right without overlap, so up to here nothing that follows changes them.
        cut = max(end, len(text) - (_ESCAPE_LENGTH - 1))
        decoded = unescape(text[:cut])
        self._tail = text[cut:]
        self._decoded.append(decoded)
        self._length += len(decoded)
        if self._length > self._limit:
            raise TooLong

    def value(self) -> str:
        if not self._past:
            text = "".join(self._pieces)
            return unescape(text) if self._escaped else text
        text = "".join(self._decoded) + unescape(self._tail)
        if len(text) > self._limit:
            raise TooLong
        return text


class End(Exception):
    """No error: the reader has what it wants from the part, which is read no further."""


def parser(
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None],
    data: Callable[[str], None],
    doctype: Callable[..., None],
) -> expat.XMLParserType:
    """Expat with a reader's handlers, elements named "namespace}local". Text reaches ``data`` as it is read, in
    pieces of at most ``buffer_size`` characters, where ElementTree holds all of an element's text first."""
    created = expat.ParserCreate(namespace_separator="}")
    created.buffer_text = True  # one call for a short string's text, not one per line and entity
    created.StartElementHandler, created.EndElementHandler, created.CharacterDataHandler = start, end, data
    created.StartDoctypeDeclHandler = doctype
    return created


def chunks(parser: expat.XMLParserType, stream: IO[bytes]) -> Iterator[bool]:
    """Parses the part a chunk at a time, pausing after each: whether it has ended, or a handler raised End."""
    while True:
        chunk = stream.read(_CHUNK)
        try:
            parser.Parse(chunk, not chunk)
        except End:
            yield True
            return
        yield not chunk
        if not chunk:
            return
