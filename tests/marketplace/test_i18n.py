import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_every_user_facing_string_has_a_korean_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "lazy_gettext", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as f:
        extracted = {m.id for m in read_po(f) if m.id}
    with (ROOT / "marketplace/translations/ko/LC_MESSAGES/messages.po").open("rb") as f:
        catalogue = read_po(f, locale="ko")
    translated = {m.id for m in catalogue if m.id and m.string and "fuzzy" not in m.flags}
    missing = sorted(str(m) for m in extracted - translated)
    assert not missing, f"untranslated (run `make messages` and translate): {missing[:20]}"


def test_won_amounts_are_formatted_per_locale(app):
    from flask import session

    from marketplace.i18n import format_won

    with app.test_request_context():
        assert format_won(125_000_000) == "125,000,000원"
        session["locale"] = "en"
        from flask_babel import refresh
        refresh()
        assert format_won(125_000_000) == "KRW 125,000,000"


def test_dates_are_shown_in_korean_time_in_the_local_style(app):
    from datetime import UTC, datetime

    from flask import session
    from flask_babel import refresh

    from marketplace.i18n import format_when

    moment = datetime(2026, 11, 21, 5, 30, tzinfo=UTC)  # 14:30 in Seoul
    with app.test_request_context():
        assert format_when(moment) == "2026. 11. 21. 14:30 KST"
        session["locale"] = "en"
        refresh()
        assert format_when(moment) == "21 Nov 2026, 14:30 KST"
