import datetime as dt

import pytest

from codikg.ingest.thai import be_to_ce, fiscal_year_interval, normalize_text, parse_int, to_ascii_digits


def test_normalize_repairs_sara_am_and_spaces():
    # NIKHAHIT + SARA AA typed instead of SARA AM (U+0E33)
    assert normalize_text("ก\u0e4d\u0e32ลัง") == "ก\u0e33ลัง"
    assert normalize_text("\u00a0ก\u00a0\u00a0ข\u200b ") == "ก ข"


def test_normalize_is_nfc_not_nfkc():
    assert normalize_text("น้ำ") == "น้ำ"
    assert "\u0e33" in normalize_text("น้ำ")


def test_digits():
    assert to_ascii_digits("๕.๑") == "5.1"
    assert parse_int("๒๕๕๒") == 2552
    with pytest.raises(ValueError, match="not a number"):
        parse_int("๑ก")


def test_fiscal_year():
    assert be_to_ce(2552) == 2009
    assert fiscal_year_interval(2552) == (dt.date(2008, 10, 1), dt.date(2009, 9, 30))
