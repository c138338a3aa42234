"""JSON from outside (case files, key files, backup manifests), read strictly and within limits:
standard JSON only (no NaN or Infinity), no key given twice, a bounded size, depth and number
of values. Every refusal is a :class:`JsonRefused` whose message names the rule, never the
content."""

from __future__ import annotations

import json
import math
from typing import Any

from firstcontact.i18n import _


class JsonRefused(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _no_constants(name: str) -> Any:
    raise JsonRefused(_("{value} is not standard JSON").format(value=name))


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise JsonRefused(_("a number is too large"))
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise JsonRefused(_("a key appears twice in one object"))
        out[key] = value
    return out


def _shape(doc: Any) -> tuple[int, int]:
    """(depth, number of values), without recursion."""
    depth, count = 0, 0
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, level = stack.pop()
        count += 1
        depth = max(depth, level)
        if isinstance(value, dict):
            stack.extend((v, level + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, level + 1) for v in value)
    return depth, count


def loads(raw: bytes, *, max_bytes: int, max_depth: int, max_values: int) -> Any:
    if len(raw) > max_bytes:
        raise JsonRefused(_("larger than {limit} bytes").format(limit=f"{max_bytes:,}"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise JsonRefused(_("not UTF-8 text")) from None
    try:
        doc = json.loads(text, parse_constant=_no_constants, parse_float=_finite,
                         object_pairs_hook=_unique_keys)
    except RecursionError:
        raise JsonRefused(_("nested deeper than {limit} levels").format(limit=max_depth)) from None
    except json.JSONDecodeError as exc:
        raise JsonRefused(_("not valid JSON (line {line}, column {column})").format(
            line=exc.lineno, column=exc.colno)) from None
    depth, count = _shape(doc)
    if depth > max_depth:
        raise JsonRefused(_("nested deeper than {limit} levels").format(limit=max_depth))
    if count > max_values:
        raise JsonRefused(_("more than {limit} values").format(limit=f"{max_values:,}"))
    return doc
