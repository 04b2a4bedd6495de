"""What an import changes, column by column and row by row: the preview a person confirms before anything is
written, and the summary afterwards.

A file changes only the columns it has. For each of them the report counts, over the file's rows, the values
added (blank before), changed, cleared (an empty cell: "no value") and left as they were; the rows themselves are
listed up to ``PREVIEW_ROWS``. The fingerprint covers every change, listed or not: the page imports a confirmed
preview only if the import would still make exactly the changes that were shown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

PREVIEW_ROWS = 1_000  # rows listed with their values; the counts always cover the whole file


@dataclass
class ColumnCounts:
    column: str
    added: int = 0
    changed: int = 0
    cleared: int = 0
    unchanged: int = 0

    @property
    def touched(self) -> int:
        return self.added + self.changed + self.cleared


@dataclass(frozen=True)
class CellChange:
    column: str
    before: object  # as the file shows it: yuan, codes, county names, choice codes
    after: object


@dataclass(frozen=True)
class RowChange:
    number: int  # the row of the file
    key: str  # e.g. "0105/2024"
    action: str  # "insert" | "update"
    cells: tuple[CellChange, ...]


@dataclass
class ImportReport:
    table: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    columns: list[str] = field(default_factory=list)  # the file's columns, in the table's order
    untouched: list[str] = field(default_factory=list)  # the table's columns the file does not have: left as they are
    counts: dict[str, ColumnCounts] = field(default_factory=dict)  # per column of the file but the key
    changes: list[RowChange] = field(default_factory=list)  # the first PREVIEW_ROWS rows that change
    fingerprint: str = ""
    dry_run: bool = False
    _digest: hashlib._Hash = field(default_factory=hashlib.sha256, repr=False, compare=False)

    def start(self, columns: list[str], untouched: list[str], counted: list[str]) -> None:
        self.columns, self.untouched = columns, untouched
        self.counts = {name: ColumnCounts(name) for name in counted}

    def insert(self, number: int, key: str, after: dict[str, object]) -> None:
        cells: list[tuple[str, object, object]] = []
        for name, value in after.items():
            if value is not None and name in self.counts:
                self.counts[name].added += 1
                cells.append((name, None, value))
        self.inserted += 1
        self._note(number, key, "insert", cells)

    def update(self, number: int, key: str, before: dict[str, object], after: dict[str, object]) -> bool:
        """Counts the row's columns; whether anything changes."""
        cells: list[tuple[str, object, object]] = []
        for name, value in after.items():
            counts, old = self.counts.get(name), before.get(name)
            if counts is None:
                continue
            if old == value:
                counts.unchanged += 1
                continue
            if old is None:
                counts.added += 1
            elif value is None:
                counts.cleared += 1
            else:
                counts.changed += 1
            cells.append((name, old, value))
        if not cells:
            self.unchanged += 1
            return False
        self.updated += 1
        self._note(number, key, "update", cells)
        return True

    def _note(self, number: int, key: str, action: str, cells: list[tuple[str, object, object]]) -> None:
        # The digest reads plain tuples (their repr is fast); rows become dataclasses only where they are listed.
        self._digest.update(repr((number, key, action, cells)).encode())
        if len(self.changes) < PREVIEW_ROWS:
            self.changes.append(RowChange(number, key, action, tuple(CellChange(*cell) for cell in cells)))

    def finish(self) -> None:
        self.fingerprint = self._digest.hexdigest()

    @property
    def changed_rows(self) -> int:
        return self.inserted + self.updated

    def summary(self) -> dict[str, object]:
        """The report without its rows: what the audit trail keeps of an import, and the head of the API's answer."""
        return {
            "table": self.table,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "columns": self.columns,
            "untouched": self.untouched,
            "counts": {
                name: {"added": c.added, "changed": c.changed, "cleared": c.cleared, "unchanged": c.unchanged}
                for name, c in self.counts.items()
            },
            "fingerprint": self.fingerprint,
        }


__all__ = ["PREVIEW_ROWS", "CellChange", "ColumnCounts", "ImportReport", "RowChange"]
