"""The CJK font the reports' charts draw with, found by its file on this machine, not by matplotlib's font cache.

matplotlib lists the system's fonts once and keeps the list in a cache (``fontlist-v*.json`` under its
configuration directory). On a machine where the CJK fonts were installed after matplotlib first ran, that list
has no CJK family: asked for "Noto Sans CJK SC" by name, matplotlib falls back to DejaVu Sans and warns of a
missing glyph for every Chinese character. So the charts do not ask by name. They look for the font files the
Makefile installs (Debian's ``fonts-noto-cjk``), or those of ``fonts-wqy-microhei`` / ``fonts-wqy-zenhei``, in the
system's font folders; register the file found with ``fontManager.addfont`` (whatever the cache says); and draw
with the family that file declares, "Noto Sans CJK SC" first. With no CJK font file at all, the charts are drawn
in a font that is always there (DejaVu Sans, shipped with matplotlib): the log says so once, the Chinese labels
may show as boxes, and the report is still made.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.font_manager import FontManager

log = logging.getLogger(__name__)

# The families the charts prefer, in order; a CSS font stack for the pages' charts (web/charts.py) ends with them.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
FALLBACK_FAMILY = "DejaVu Sans"  # ships with matplotlib: always there

FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)
# The font files, by name, the best first: Debian's fonts-noto-cjk (what `make` installs; other distributions and
# Adobe's release name the same font other ways), then Debian's fonts-wqy-microhei and fonts-wqy-zenhei.
CJK_FILES = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
    "SourceHanSansSC-Regular.otf",
    "SourceHanSans-Regular.ttc",
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
)


@dataclass(frozen=True)
class ChartFont:
    family: str
    path: Path | None  # the CJK font file registered; None: none was found, the family is the fallback

    @property
    def cjk(self) -> bool:
        return self.path is not None


def font_files(dirs: Iterable[Path] = FONT_DIRS, names: Sequence[str] = CJK_FILES) -> list[Path]:
    """The CJK font files under ``dirs``, in the order of ``names`` (the preferred first)."""
    wanted = {name.lower(): rank for rank, name in enumerate(names)}
    found: dict[int, Path] = {}
    for directory in dirs:
        if not directory.is_dir():
            continue
        for root, _folders, files in os.walk(directory, followlinks=True):
            for name in files:
                rank = wanted.get(name.lower())
                if rank is not None and rank not in found:
                    found[rank] = Path(root) / name
    return [found[rank] for rank in sorted(found)]


def _families(manager: FontManager, path: Path) -> list[str]:
    """The families ``path`` declares, as the manager lists them: registered from the file itself if the manager
    does not list it yet (its cache predates the file)."""
    fname = os.fsdecode(path)
    if not any(entry.fname == fname for entry in manager.ttflist):
        manager.addfont(fname)
    return [entry.name for entry in manager.ttflist if entry.fname == fname]


def find(manager: FontManager | None = None, dirs: Iterable[Path] = FONT_DIRS) -> ChartFont:
    """The font to draw with: the first CJK font file under ``dirs`` that ``manager`` can read, registered with it,
    and the family it declares (the preferred one if it declares several, as a .ttc does); otherwise the
    fallback, logged. Never raises for a font: a broken file is logged and the next one tried."""
    if manager is None:
        from matplotlib.font_manager import fontManager  # noqa: PLC0415 -- matplotlib loads slowly

        manager = fontManager
    searched = list(dirs)
    for path in font_files(searched):
        try:
            families = _families(manager, path)
        except Exception as error:  # noqa: BLE001 -- a font file that FreeType cannot read must not fail a report
            log.warning("CJK font file %s could not be read (%s); trying the next one", path, error)
            continue
        if families:
            family = next((name for name in CJK_FAMILIES if name in families), families[0])
            log.info("charts draw with %s from %s", family, path)
            return ChartFont(family, path)
    log.warning(
        "no CJK font file (%s) found under %s: charts are drawn with %s and their Chinese labels may show as "
        "boxes; install the Debian package fonts-noto-cjk (`make system`)",
        ", ".join(CJK_FILES),
        ", ".join(str(d) for d in searched),
        FALLBACK_FAMILY,
    )
    return ChartFont(FALLBACK_FAMILY, None)


_lock = threading.Lock()
_chosen: list[ChartFont] = []


def chart_font() -> ChartFont:
    """The charts' font on this machine, found and registered with matplotlib's font manager once per process."""
    with _lock:
        if not _chosen:
            _chosen.append(find())
        return _chosen[0]
