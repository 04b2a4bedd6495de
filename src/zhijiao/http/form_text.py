"""The text fields of a multipart form, followed as the body streams past the request guard (issue 14).

A multipart form carries files and text fields together (an application's note and claimed figures beside its
attachments, an import's table name beside the workbook). The guard cannot hold the whole body to check it as it
does a url-encoded form — an upload may be many megabytes — so it feeds each chunk to a streaming multipart
parser and keeps only the current text field, bounded, to find one the database cannot hold (NUL). Files are
never kept: their bytes are for the route, which checks them itself; only their names are text that is stored.
"""

from __future__ import annotations

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from zhijiao.http.text import storable

MAX_FIELD_BYTES = 1024 * 1024  # a text field longer than this is not the form's: the route refuses it by length


class FormTextWatch:
    """Fed a multipart body chunk by chunk; ``bad`` is the first (field, text) the database could not hold."""

    def __init__(self, content_type: str) -> None:
        _kind, options = parse_options_header(content_type)
        boundary = options.get(b"boundary", b"")
        self.bad: tuple[str, str] | None = None
        self._broken = not boundary  # a body the parser cannot follow is left to the route's own parser
        self._header_name, self._header_value = b"", b""
        self._name, self._is_file, self._value = "", False, bytearray()
        self._parser = MultipartParser(
            boundary or b"-",
            {
                "on_part_begin": self._begin,
                "on_header_field": self._header_field,
                "on_header_value": self._header_value_part,
                "on_header_end": self._header_end,
                "on_part_data": self._data,
                "on_part_end": self._end,
            },
        )

    def feed(self, chunk: bytes) -> tuple[str, str] | None:
        if self.bad is None and not self._broken and chunk:
            try:
                self._parser.write(chunk)
            except MultipartParseError:
                self._broken = True
        return self.bad

    def _begin(self) -> None:
        self._name, self._is_file, self._value = "", False, bytearray()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_part(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        if self._header_name.strip().lower() == b"content-disposition":
            _disposition, options = parse_options_header(self._header_value)
            self._name = options.get(b"name", b"").decode("utf-8", errors="replace")
            filename = options.get(b"filename")
            self._is_file = filename is not None
            self._check("form", self._name)
            if filename is not None:
                self._check(self._name or "filename", filename.decode("utf-8", errors="replace"))
        self._header_name, self._header_value = b"", b""

    def _data(self, data: bytes, start: int, end: int) -> None:
        if not self._is_file and len(self._value) <= MAX_FIELD_BYTES:
            self._value += data[start:end]

    def _end(self) -> None:
        if not self._is_file:
            self._check(self._name, self._value.decode("utf-8", errors="replace"))

    def _check(self, field: str, text: str) -> None:
        if self.bad is None and not storable(text):
            self.bad = (field if storable(field) else "form", text)
