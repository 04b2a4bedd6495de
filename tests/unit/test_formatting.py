"""Numbers as officials read them: a percentage never shows more than was reached."""

from decimal import Decimal

from zhijiao.formatting import percent
from zhijiao.language import Lang


def test_a_percentage_is_cut_not_rounded_so_a_shortfall_stays_visible():
    assert percent(Decimal("0.5998"), Lang.zh) == "59.9%"
    assert percent(Decimal("0.9997"), Lang.en) == "99.9%"
    assert percent(Decimal("0.6"), Lang.zh) == "60.0%"
    assert percent(Decimal("1.0120"), Lang.en) == "101.2%"
    assert percent(None, Lang.zh) == "—"
