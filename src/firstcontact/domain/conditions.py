"""The one condition language and its one evaluator.

Used by step and field ``when``, derived facts, derived fields, the NRM page flow and the
referral rules. A condition is a plain mapping read from TOML or JSON:

- ``{"field": F, "equals": V}``: F's value is V (a multiple choice includes V; a checkbox is
  ``True``/``False``);
- ``{"field": F, "is": "present" | "absent"}``;
- ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": c}``;
- ``{"derived": NAME}``: a derived fact, itself a condition;
- ``{"consent": DEST, "equals": "given" | "declined" | "withdrawn" | "none"}``.

A condition on a field with no answer is false (except ``is: absent``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Condition = Mapping[str, Any]

CONSENT_STATES = ("given", "declined", "withdrawn", "none")
_SHAPES: dict[str, frozenset[str]] = {
    "field-equals": frozenset({"field", "equals"}),
    "field-is": frozenset({"field", "is"}),
    "all": frozenset({"all"}),
    "any": frozenset({"any"}),
    "not": frozenset({"not"}),
    "derived": frozenset({"derived"}),
    "consent": frozenset({"consent", "equals"}),
}


def is_present(value: object) -> bool:
    """True when ``value`` counts as an answer (``False`` for a checkbox is an answer)."""
    if value is None:
        return False
    if isinstance(value, str | list | tuple):
        return len(value) > 0
    return True


@dataclass(frozen=True)
class Facts:
    """What a condition can look at."""

    answers: Mapping[str, object]
    consents: Mapping[str, str] = field(default_factory=dict)
    derived: Mapping[str, Condition] = field(default_factory=dict)


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
    value = facts.answers.get(condition["field"])
    if "is" in condition:
        return is_present(value) == bool(condition["is"] == "present")
    if not is_present(value):
        return False
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
    elif shape == "consent":
        if destinations and condition["consent"] not in destinations:
            out.append(f"unknown destination '{condition['consent']}' in consent condition")
        if condition["equals"] not in CONSENT_STATES:
            out.append(f"consent state must be one of {', '.join(CONSENT_STATES)}")
    else:
        name = condition["field"]
        if not isinstance(name, str):
            out.append("'field' must be a field id")
        elif fields is not None and name not in fields:
            out.append(f"unknown field '{name}'")
        if shape == "field-is" and condition["is"] not in ("present", "absent"):
            out.append("'is' must be \"present\" or \"absent\"")
        if shape == "field-equals" and not isinstance(condition["equals"], str | bool | int):
            out.append("'equals' must be a string, a number or true/false")
    return out


def referenced_fields(condition: Condition) -> set[str]:
    """Field ids a condition reads directly (not through derived facts)."""
    if "field" in condition:
        return {str(condition["field"])}
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
    if "is" in condition:
        return f"{condition['field']} is {condition['is']}"
    value = condition["equals"]
    shown = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return f"{condition['field']} = {shown}"
