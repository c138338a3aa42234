"""Read-only views of the interview data: criteria with the steps that cover them, the outline."""

from __future__ import annotations

from typing import Any

from firstcontact.domain.conditions import describe
from firstcontact.domain.model import Checklist


def criteria_view(checklist: Checklist) -> list[dict[str, Any]]:
    """Every PC and K item: ``id``, ``kind``, ``text``, ``steps`` (the step ids that cover it)."""
    return [
        {"id": c.id, "kind": kind, "text": c.text,
         "steps": [s.id for s in checklist.steps_for(c.id)]}
        for kind, items in (("performance", checklist.criteria), ("knowledge", checklist.knowledge))
        for c in items
    ]


def steps_view(checklist: Checklist) -> list[dict[str, Any]]:
    """The outline: stages with their steps, fields and conditions (conditions as data)."""
    out: list[dict[str, Any]] = []
    for stage in checklist.stages:
        steps = []
        for s in (s for s in checklist.steps if s.stage == stage.id):
            steps.append({
                "id": s.id, "title": s.title, "pcs": list(s.pcs), "guidance": list(s.guidance),
                "sensitive": s.sensitive, "worker_only": s.worker_only, "when": s.when,
                "consent": s.consent,
                "when_text": describe(s.when) if s.when else None,
                "fields": [{
                    "id": f.id, "type": f.type, "label": f.label, "optional": f.optional,
                    "options": list(f.option_values()) or None, "list": f.list_name,
                    "when": f.when, "when_text": describe(f.when) if f.when else None,
                } for f in s.fields],
            })
        out.append({"id": stage.id, "title": stage.title, "summary": stage.summary,
                    "steps": steps})
    return out
