"""The charts find their CJK font by its file, so a matplotlib font cache older than the fonts cannot fail a report;
with no CJK font at all they are drawn in a font that exists, the log says why, and nothing fails."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import matplotlib.font_manager as fm
import pytest

from zhijiao.language import Lang
from zhijiao.reports import charts, fonts
from zhijiao.reports.content import CostRow

PAYERS = [
    CostRow("city", {"zh": "市财政", "en": "City"}, 28_316_295_815, None),
    CostRow("county", {"zh": "县（市、区）财政", "en": "Counties"}, 26_272_152_815, None),
]


def _installed() -> Path:
    found = fonts.font_files()
    assert found, "no CJK font file: `make` installs the Debian package fonts-noto-cjk (target system)"
    return found[0]


def _without_cjk(manager: fm.FontManager) -> list[fm.FontEntry]:
    return [entry for entry in manager.ttflist if "CJK" not in entry.name and "WenQuanYi" not in entry.name]


def _stale_manager(tmp_path: Path) -> fm.FontManager:
    """A font manager as a cache built before the CJK fonts were installed leaves it: no CJK family listed."""
    fm.json_dump(fm.fontManager, tmp_path / "fontlist.json")
    stale: fm.FontManager = fm.json_load(tmp_path / "fontlist.json")
    stale.ttflist = _without_cjk(stale)
    return stale


def test_a_stale_font_list_gets_the_cjk_file_registered(tmp_path: Path):
    installed = _installed()
    stale = _stale_manager(tmp_path)
    assert not any(entry.fname == str(installed) for entry in stale.ttflist)
    chosen = fonts.find(stale)
    assert chosen == fonts.ChartFont("Noto Sans CJK SC", installed)
    found = stale.findfont(fm.FontProperties(family=chosen.family), fallback_to_default=False)
    assert found == str(installed)
    assert fonts.find(stale) == chosen  # registered once: found again, not added twice
    assert sum(entry.fname == str(installed) and entry.name == chosen.family for entry in stale.ttflist) == 1


# Run in a fresh interpreter whose matplotlib reads the stale cache, warnings as errors (as in the test suite and
# any server run with -W error): the first chart of the process must draw in the CJK file, with no glyph warning.
CHILD = textwrap.dedent(
    """
    import json, sys
    import matplotlib.font_manager as fm
    before = fm.findfont("Noto Sans CJK SC")  # what the stale cache alone gives: the default font
    from zhijiao.language import Lang
    from zhijiao.reports import charts, fonts
    from zhijiao.reports.content import CostRow
    rows = [CostRow("city", {"zh": "市财政", "en": "City"}, 519, None),
            CostRow("county", {"zh": "县（市、区）财政", "en": "Counties"}, 481, None)]
    from decimal import Decimal
    svg = charts.payer_shares(rows, [Decimal("0.519"), Decimal("0.481")], "按付款方", Lang.zh)
    chosen = fonts.chart_font()
    drawn_with = fm.findfont(fm.FontProperties(family=chosen.family), fallback_to_default=False)
    print(json.dumps({"before": before, "family": chosen.family, "path": str(chosen.path),
                      "drawn_with": drawn_with, "svg": "县（市、区）财政" in svg}))
    """
)


def test_a_chart_draws_in_the_cjk_file_when_matplotlibs_cache_predates_the_fonts(tmp_path: Path):
    installed = _installed()
    config = tmp_path / "mplconfig"
    config.mkdir()
    cache = config / f"fontlist-v{fm.FontManager.__version__}.json"
    fm.json_dump(fm.fontManager, cache)
    listed = json.loads(cache.read_text(encoding="utf-8"))
    listed["ttflist"] = [e for e in listed["ttflist"] if "CJK" not in e["name"] and "WenQuanYi" not in e["name"]]
    cache.write_text(json.dumps(listed), encoding="utf-8")
    environment = os.environ | {"MPLCONFIGDIR": str(config)}
    run = subprocess.run(  # noqa: S603 -- our own interpreter and code
        [sys.executable, "-W", "error", "-c", CHILD], capture_output=True, text=True, env=environment, check=False
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert "DejaVu" in result["before"]  # the cache was stale: by name alone matplotlib had no CJK font
    assert result == result | {"family": "Noto Sans CJK SC", "path": str(installed), "drawn_with": str(installed)}
    assert result["svg"]


def test_without_any_cjk_font_the_chart_is_drawn_and_the_log_says_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
):
    empty = tmp_path / "fonts"
    empty.mkdir()
    broken = empty / "NotoSansCJK-Regular.ttc"
    broken.write_bytes(b"not a font")  # a damaged file is passed over, never a failure
    with caplog.at_level(logging.WARNING, logger="zhijiao.reports.fonts"):
        chosen = fonts.find(_stale_manager(tmp_path), dirs=[empty])
    assert chosen == fonts.ChartFont(fonts.FALLBACK_FAMILY, None)
    messages = " ".join(record.getMessage() for record in caplog.records)
    assert "could not be read" in messages
    assert "no CJK font file" in messages
    assert "fonts-noto-cjk" in messages

    # Drawn in the fallback font: the suite turns warnings into errors, so a glyph warning would fail here.
    monkeypatch.setattr(fonts, "_chosen", [chosen])
    svg = charts.payer_shares(PAYERS, [None, None], "按付款方", Lang.zh)
    assert "市财政" in svg
    assert "DejaVu Sans" in svg
