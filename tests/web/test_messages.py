"""Every message a page shows exists in English: the switch to English never leaves Chinese behind."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from zhijiao.language import Lang
from zhijiao.web import i18n
from zhijiao.web.nav import NAV

WEB = Path(i18n.__file__).parent
REPORTS = WEB.parent / "reports"
METHODS = [("templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def _message_ids() -> set[str]:
    ids = {item.label for item in NAV}
    for folder in (WEB, REPORTS):  # the pages and the reports' own templates
        for _file, _line, message, _comments, _context in extract_from_dir(folder, METHODS, options_map=OPTIONS):
            ids.update([message] if isinstance(message, str) else [m for m in message if m])
    return ids


def test_every_page_message_has_an_english_translation():
    english = i18n.translations(Lang.en)
    ids = _message_ids()
    assert len(ids) > 20
    missing = sorted(m for m in ids if english.gettext(m) == m)
    assert missing == []


def test_money_and_dates_are_written_as_each_language_expects():
    import datetime as dt  # noqa: PLC0415

    assert i18n.money(123456789, Lang.zh) == "¥1,234,567.89"
    assert i18n.money(123456789, Lang.en) == "CN¥1,234,567.89"
    assert i18n.money_wan(123456789, Lang.zh) == "123.46万元"
    assert i18n.money_wan(123456789, Lang.en) == "¥1.23 million"
    assert i18n.date(dt.date(2024, 6, 1), Lang.zh) == "2024年6月1日"
    assert i18n.date(dt.date(2024, 6, 1), Lang.en) == "June 1, 2024"


def test_switching_language_keeps_the_page_and_its_query(sqlite_client):
    page = sqlite_client.get("/login?next=/targets")
    assert 'href="/login?next=%2Ftargets&amp;lang=en"' in page.text
    english = sqlite_client.get("/login?next=/targets&lang=en")
    assert 'href="/login?next=%2Ftargets&amp;lang=zh"' in english.text
    assert "User name" in english.text
