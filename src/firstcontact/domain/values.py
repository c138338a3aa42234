"""Answer values: parsing from text (CLI, import) and validation against the field's type.

Error messages name the field and the rule, never the value typed (it may be case content).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence

from firstcontact.domain.model import Field, Value
from firstcontact.domain.text import storable
from firstcontact.i18n import _

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-.]+$")


class InvalidAnswer(ValueError):
    """A value refused for a field; ``message`` is safe to show and log (no content)."""

    def __init__(self, field_id: str, message: str) -> None:
        super().__init__(f"{field_id}: {message}")
        self.field_id = field_id
        self.message = message


def parse_text(field: Field, text: str) -> Value:
    """Turn command-line text into a typed value (then :func:`validate` it)."""
    if field.type == "checkbox":
        lowered = text.strip().lower()
        if lowered not in ("true", "false"):
            raise InvalidAnswer(field.id, _("a checkbox takes true or false"))
        return lowered == "true"
    if field.type == "multichoice":
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            parsed = None
        if not isinstance(parsed, list):
            raise InvalidAnswer(field.id, _('a multiple choice takes a JSON array, e.g. ["a","b"]'))
        return [str(v) if not isinstance(v, str) else v for v in parsed]
    if field.type == "number":
        try:
            number = float(text.strip())
        except ValueError:
            raise InvalidAnswer(field.id, _("this field takes a number")) from None
        return int(number) if number.is_integer() and "." not in text else number
    return text


def _check_encodable(field_id: str, text: str) -> None:
    if not storable(text):
        raise InvalidAnswer(field_id, _("the text contains characters that cannot be stored "
                                        "(an unpaired surrogate)"))


def validate(
    field: Field, value: object, list_values: Callable[[Field], Sequence[str]]
) -> Value:
    """Return ``value`` if valid for ``field``; raise :class:`InvalidAnswer` otherwise."""
    t = field.type
    if t == "checkbox":
        if not isinstance(value, bool):
            raise InvalidAnswer(field.id, _("a checkbox takes true or false"))
        return value
    if t == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidAnswer(field.id, _("this field takes a number"))
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidAnswer(field.id, _("this field takes a finite number"))
        return value
    if t == "multichoice":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidAnswer(field.id, _("a multiple choice takes a list of options"))
        allowed = field.option_values()
        if any(v not in allowed for v in value):
            raise InvalidAnswer(field.id, _("one of the choices is not an option of this field"))
        if len(set(value)) != len(value):
            raise InvalidAnswer(field.id, _("an option is chosen twice"))
        return [v for v in allowed if v in value]  # canonical order
    if not isinstance(value, str):
        raise InvalidAnswer(field.id, _("this field takes text"))
    _check_encodable(field.id, value)
    if t == "choice" and value not in field.option_values():
        raise InvalidAnswer(field.id, _("not one of the options of this field: {options}").format(
            options=", ".join(field.option_values())))
    if t == "list" and value not in list_values(field):
        raise InvalidAnswer(field.id, _("not one of the list's entries: type a few letters "
                                        "and choose from the matches (the spelling must be "
                                        "exact)"))
    if t == "date":
        _check_date(field.id, value)
    for rule in field.validate:
        _check_rule(field.id, rule, value)
    return value


def is_email(value: str) -> bool:
    """Shaped like an email address: something@somewhere.tld, no spaces."""
    return bool(_EMAIL.match(value))


def is_phone(value: str) -> bool:
    """A phone number: 7 to 17 digits, written with digits, spaces and + ( ) - only."""
    return bool(_PHONE_CHARS.match(value)) and 7 <= sum(c.isdigit() for c in value) <= 17


_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_date(field_id: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        if _DATE_SHAPE.match(value):  # written right, but no such day (2023-02-30)
            raise InvalidAnswer(field_id, _("there is no such date: check the month and "
                                            "day")) from None
        raise InvalidAnswer(field_id, _("dates are written YYYY-MM-DD (ISO 8601)")) from None


def _check_rule(field_id: str, rule: str, value: str) -> None:
    name, _sep, arg = rule.partition(":")
    if name == "maxlength" and len(value) > int(arg):
        raise InvalidAnswer(field_id, _("longer than {n} characters").format(n=arg))
    if name == "email" and value and not is_email(value):
        raise InvalidAnswer(field_id, _("not an email address"))
    if name == "numeric" and value and not value.strip().isdigit():
        raise InvalidAnswer(field_id, _("this field takes a whole number"))
    if name == "phone" and value and not is_phone(value):
        raise InvalidAnswer(field_id, _("not a phone number (digits, spaces, + ( ) -)"))
    if name == "not-url" and value and _URL.search(value):
        raise InvalidAnswer(field_id, _("a web address is not accepted here"))
    if name == "before-today" and _check_date(field_id, value) >= dt.date.today():
        raise InvalidAnswer(field_id, _("the date must be in the past"))
    if name == "after" and _check_date(field_id, value) <= dt.date.fromisoformat(arg):
        raise InvalidAnswer(field_id, _("the date must be after {date}").format(date=arg))


