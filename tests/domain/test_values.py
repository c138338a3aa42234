"""Answers are validated against their field's type; bad values are refused with a message."""

import pytest

from firstcontact.domain.model import Field, Option
from firstcontact.domain.values import InvalidAnswer, parse_text, validate

YESNO = Field("pv-under-age", "choice", "Under 18?",
              options=(Option("yes", "Yes"), Option("no", "No"), Option("not-sure", "Not sure")))
MULTI = Field("pv-contact-details", "multichoice", "How",
              options=(Option("email", "Email"), Option("post", "Post")))
LIST = Field("pv-nationality", "list", "Nationality", list_name="nationalities")
EMAIL = Field("fc-email", "text", "Email", validate=("email",))
DATE = Field("pv-dob", "date", "Date of birth", validate=("before-today", "after:1900-01-01"))
BOX = Field("types-of-exploitation-other", "checkbox", "Other")
NUM = Field("fc-count", "number", "How many")


def lists(_field):
    return ("British", "Eritrean")


def check(field, value):
    return validate(field, value, lists)


def test_choice_accepts_options_only():
    assert check(YESNO, "not-sure") == "not-sure"
    with pytest.raises(InvalidAnswer, match="not one of the options"):
        check(YESNO, "maybe")


def test_multichoice_from_json_array_in_canonical_order():
    assert check(MULTI, parse_text(MULTI, '["post", "email"]')) == ["email", "post"]
    with pytest.raises(InvalidAnswer, match="JSON array"):
        parse_text(MULTI, "email,post")
    with pytest.raises(InvalidAnswer, match="not an option"):
        check(MULTI, ["fax"])


def test_list_value_must_match_exactly():
    assert check(LIST, "Eritrean") == "Eritrean"
    with pytest.raises(InvalidAnswer, match="spelling must be exact"):
        check(LIST, "eritrean")


def test_dates_are_iso_and_follow_rules():
    assert check(DATE, "1990-02-28") == "1990-02-28"
    for bad, msg in (("28/02/1990", "YYYY-MM-DD"), ("2999-01-01", "in the past"),
                     ("1899-12-31", "after 1900-01-01"),
                     ("1991-02-30", "no such date")):  # well written, but no such day
        with pytest.raises(InvalidAnswer, match=msg):
            check(DATE, bad)


def test_checkbox_and_number_parse_from_text():
    assert parse_text(BOX, "true") is True
    assert parse_text(BOX, "False") is False
    with pytest.raises(InvalidAnswer):
        parse_text(BOX, "yes")
    assert parse_text(NUM, "3") == 3
    assert parse_text(NUM, "2.5") == 2.5
    with pytest.raises(InvalidAnswer):
        parse_text(NUM, "three")
    with pytest.raises(InvalidAnswer):
        check(NUM, float("nan"))


def test_email_rule():
    assert check(EMAIL, "la@example.gov.uk")
    with pytest.raises(InvalidAnswer, match="email"):
        check(EMAIL, "not an email")


def test_lone_surrogate_refused_with_message_that_holds_no_content():
    with pytest.raises(InvalidAnswer) as info:
        check(Field("fc-note", "longtext", "Note"), "secret name \udcff")
    assert "secret" not in str(info.value)
    assert "surrogate" in info.value.message
