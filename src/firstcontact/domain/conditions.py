"""The one condition language and its one evaluator.

Used by step and field ``when``, derived facts, derived fields, the NRM page flow and the
referral rules. A condition is a plain mapping read from TOML or JSON:

- ``{"field": F, "equals": V}``: F's value is V (a multiple choice includes V; a checkbox is
  ``True``/``False``);
- ``{"field": F, "is": "present" | "absent"}``;
- ``{"field": F, "min_length": N}``: F's text has at least N characters (spaces at the ends
  not counted): a one-letter "account" is not an account;
- ``{"field": F, "age_under": N}`` (optionally ``"at": G``): F is a date of birth that makes the
  person younger than N on the date in field G, else on the day of contact;
- ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": c}``;
- ``{"derived": NAME}``: a derived fact, itself a condition;
- ``{"consent": DEST, "equals": "given" | "declined" | "withdrawn" | "not-sought" | "none"}``;
- ``{"consent_shares": DEST}``: DEST's consent is given and what was explained covered sharing
  the person's account with the receiving caseworker;
- ``{"exported": DEST}``: a pack for DEST was exported (``"any"``: for any destination).

A condition on a field with no answer is false (except ``is: absent``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Condition = Mapping[str, Any]

CONSENT_STATES = ("given", "declined", "withdrawn", "not-sought", "none")
_SHAPES: dict[str, frozenset[str]] = {
    "field-equals": frozenset({"field", "equals"}),
    "field-is": frozenset({"field", "is"}),
    "field-min-length": frozenset({"field", "min_length"}),
    "field-age": frozenset({"field", "age_under"}),
    "field-age-at": frozenset({"field", "age_under", "at"}),
    "all": frozenset({"all"}),
    "any": frozenset({"any"}),
    "not": frozenset({"not"}),
    "derived": frozenset({"derived"}),
    "consent": frozenset({"consent", "equals"}),
    "consent-shares": frozenset({"consent_shares"}),
    "exported": frozenset({"exported"}),
}


def is_present(value: object) -> bool:
    """True when ``value`` counts as an answer (``False`` for a checkbox is an answer)."""
    if value is None:
        return False
    if isinstance(value, str | list | tuple):
        return len(value) > 0
    return True


def parse_date(value: object) -> dt.date | None:
    """An ISO date (``YYYY-MM-DD``; a timestamp's date part), or None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years from ``born`` to ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class Facts:
    """What a condition can look at."""

    answers: Mapping[str, object]
    consents: Mapping[str, str] = field(default_factory=dict)
    derived: Mapping[str, Condition] = field(default_factory=dict)
    sharing: frozenset[str] = frozenset()  # destinations whose consent covers the account
    exports: frozenset[str] = frozenset()  # destinations a pack was exported for
    on: str = ""  # the day of contact (ISO date); "" is today

    def contact_day(self) -> dt.date:
        return parse_date(self.on) or dt.date.today()


def evaluate(condition: Condition, facts: Facts) -> bool:
    """Evaluate ``condition`` (assumed valid: see :func:`problems`)."""
    return _evaluate(condition, facts, ())


def _evaluate(condition: Condition, facts: Facts, seen: tuple[str, ...]) -> bool:
    if "all" in condition:
        return all(_evaluate(c, facts, seen) for c in condition["all"])
    if "any" in condition:
        return any(_evaluate(c, facts, seen) for c in condition["any"])
    if "not" in condition:
        return not _evaluate(condition["not"], facts, seen)
    if "derived" in condition:
        name = condition["derived"]
        if name in seen:  # a cycle is refused at load; never loop here
            return False
        return _evaluate(facts.derived[name], facts, (*seen, name))
    if "consent" in condition:
        return bool(facts.consents.get(condition["consent"], "none") == condition["equals"])
    if "consent_shares" in condition:
        return condition["consent_shares"] in facts.sharing
    if "exported" in condition:
        wanted = condition["exported"]
        return bool(facts.exports) if wanted == "any" else wanted in facts.exports
    value = facts.answers.get(condition["field"])
    if "is" in condition:
        return is_present(value) == bool(condition["is"] == "present")
    if not is_present(value):
        return False
    if "min_length" in condition:
        return isinstance(value, str) and len(value.strip()) >= int(condition["min_length"])
    if "age_under" in condition:
        born = parse_date(value)
        day = parse_date(facts.answers.get(condition["at"])) if "at" in condition \
            else facts.contact_day()
        return born is not None and day is not None and age_on(born, day) < condition["age_under"]
    expected = condition["equals"]
    if isinstance(value, list | tuple):
        return expected in value
    return bool(value == expected) and type(value) is type(expected)


def problems(
    condition: object,
    *,
    fields: Mapping[str, object] | None = None,
    derived: Sequence[str] = (),
    destinations: Sequence[str] = (),
) -> list[str]:
    """Everything wrong with ``condition``, as sentences (empty when it is valid).

    ``fields``, when given, are the known field ids; ``derived`` the known derived facts;
    ``destinations`` the known referral destinations (consent conditions).
    """
    if not isinstance(condition, Mapping):
        return ["a condition must be a table such as { field = \"…\", equals = \"…\" }"]
    keys = frozenset(condition)
    shape = next((name for name, ks in _SHAPES.items() if ks == keys), None)
    if shape is None:
        return [f"condition with keys {sorted(keys)} is not one of: field/equals, field/is, "
                "all, any, not, derived, consent/equals"]
    out: list[str] = []
    if shape in ("all", "any"):
        items = condition[shape]
        if not isinstance(items, list) or not items:
            return [f"'{shape}' needs a non-empty list of conditions"]
        for item in items:
            out += problems(item, fields=fields, derived=derived, destinations=destinations)
    elif shape == "not":
        out += problems(condition["not"], fields=fields, derived=derived,
                        destinations=destinations)
    elif shape == "derived":
        if condition["derived"] not in derived:
            out.append(f"unknown derived fact '{condition['derived']}'")
    elif shape in ("consent", "consent-shares", "exported"):
        key = {"consent": "consent", "consent-shares": "consent_shares",
               "exported": "exported"}[shape]
        known = [*destinations, "any"] if shape == "exported" else list(destinations)
        if destinations and condition[key] not in known:
            out.append(f"unknown destination '{condition[key]}' in {key} condition")
        if shape == "consent" and condition["equals"] not in CONSENT_STATES:
            out.append(f"consent state must be one of {', '.join(CONSENT_STATES)}")
    else:
        name = condition["field"]
        if not isinstance(name, str):
            out.append("'field' must be a field id")
        elif fields is not None and name not in fields:
            out.append(f"unknown field '{name}'")
        for number in ("min_length", "age_under"):
            if number in condition and (isinstance(condition[number], bool)
                                        or not isinstance(condition[number], int)
                                        or condition[number] < 1):
                out.append(f"'{number}' must be a whole number of at least 1")
        if "at" in condition and fields is not None and condition["at"] not in fields:
            out.append(f"unknown field '{condition['at']}'")
        if shape == "field-is" and condition["is"] not in ("present", "absent"):
            out.append("'is' must be \"present\" or \"absent\"")
        if shape == "field-equals" and not isinstance(condition["equals"], str | bool | int):
            out.append("'equals' must be a string, a number or true/false")
    return out


def referenced_fields(condition: Condition) -> set[str]:
    """Field ids a condition reads directly (not through derived facts)."""
    if "field" in condition:
        return {str(condition["field"])} | ({str(condition["at"])} if "at" in condition else set())
    for key in ("all", "any"):
        if key in condition:
            return set().union(*(referenced_fields(c) for c in condition[key]))
    if "not" in condition:
        return referenced_fields(condition["not"])
    return set()


def fields_read(condition: Condition, derived: Mapping[str, Condition]) -> set[str]:
    """Field ids a condition reads, directly or through the derived facts it uses."""
    out, todo, seen = referenced_fields(condition), list(referenced_derived(condition)), set()
    while todo:
        name = todo.pop()
        if name in seen or name not in derived:
            continue
        seen.add(name)
        out |= referenced_fields(derived[name])
        todo += referenced_derived(derived[name])
    return out


def referenced_derived(condition: Condition) -> set[str]:
    """Derived fact names a condition uses directly."""
    if "derived" in condition:
        return {str(condition["derived"])}
    for key in ("all", "any"):
        if key in condition:
            return set().union(*(referenced_derived(c) for c in condition[key]))
    if "not" in condition:
        return referenced_derived(condition["not"])
    return set()


def describe(condition: Condition) -> str:
    """A compact one-line rendering for outlines (``steps`` command)."""
    if "all" in condition:
        return "(" + " and ".join(describe(c) for c in condition["all"]) + ")"
    if "any" in condition:
        return "(" + " or ".join(describe(c) for c in condition["any"]) + ")"
    if "not" in condition:
        return "not " + describe(condition["not"])
    if "derived" in condition:
        return str(condition["derived"])
    if "consent" in condition:
        return f"consent[{condition['consent']}] = {condition['equals']}"
    if "consent_shares" in condition:
        return f"consent[{condition['consent_shares']}] covers the account"
    if "exported" in condition:
        return f"exported[{condition['exported']}]"
    if "min_length" in condition:
        return f"{condition['field']} has {condition['min_length']}+ characters"
    if "age_under" in condition:
        at = condition.get("at", "contact")
        return f"age by {condition['field']} < {condition['age_under']} at {at}"
    if "is" in condition:
        return f"{condition['field']} is {condition['is']}"
    value = condition["equals"]
    shown = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return f"{condition['field']} = {shown}"
