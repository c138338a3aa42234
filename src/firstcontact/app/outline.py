"""Read-only views of the interview data: criteria with the steps that cover them, the outline."""

from __future__ import annotations

from typing import Any

from firstcontact.domain.conditions import describe
from firstcontact.domain.model import Checklist
from firstcontact.domain.survivor import SurvivorTexts


def criteria_view(checklist: Checklist) -> list[dict[str, Any]]:
    """Every PC and K item: ``id``, ``kind``, ``text``, ``steps`` (the step ids that cover it);
    a PC also its ``evidence``: the needs the record must meet (each ``when`` as data, its
    ``when_text`` and what is ``missing`` in words) and when it does ``not_applicable``."""
    out: list[dict[str, Any]] = []
    for kind, items in (("performance", checklist.criteria), ("knowledge", checklist.knowledge)):
        for c in items:
            item: dict[str, Any] = {"id": c.id, "kind": kind, "text": c.text,
                                    "steps": [s.id for s in checklist.steps_for(c.id)]}
            if c.id in checklist.practice:
                item["practice"] = checklist.practice[c.id]
            rule = checklist.evidence.get(c.id)
            if rule is not None:
                item["evidence"] = [{"when": n.when, "when_text": describe(n.when),
                                     "missing": n.missing} for n in rule.needs]
                item["not_applicable"] = [{"when": cond, "when_text": describe(cond),
                                           "reason": reason}
                                          for cond, reason in rule.not_applicable]
            out.append(item)
    return out


def steps_view(checklist: Checklist,
               texts: SurvivorTexts | None = None) -> list[dict[str, Any]]:
    """The outline: stages with their steps (each with the worker's ``script``, its
    ``variants`` for particular cases, its ``source``, and the ``explanation`` read with the
    person from the survivor texts), fields, conditions (as data) and warnings."""
    out: list[dict[str, Any]] = []
    for stage in checklist.stages:
        steps = []
        for s in (s for s in checklist.steps if s.stage == stage.id):
            steps.append({
                "id": s.id, "title": s.title, "script": s.prompt, "pcs": list(s.pcs),
                "variants": [{"when": v.when, "when_text": describe(v.when), "script": v.prompt}
                             for v in s.variants],
                "source": s.source, "guidance": list(s.guidance),
                "sensitive": s.sensitive, "worker_only": s.worker_only, "when": s.when,
                "consent": s.consent, "consent_when": s.consent_when,
                "when_text": describe(s.when) if s.when else None,
                "explanation": _explanation(texts, s.explain),
                "points": [{"id": p.id, "label": p.label} for p in s.points],
                "warnings": [{"when": w.when, "when_text": describe(w.when), "text": w.text,
                              "level": w.level, "actions": list(w.actions),
                              "record": w.record, "pause": w.pause}
                             for w in s.warnings],
                "fields": [{
                    "id": f.id, "type": f.type, "label": f.label, "optional": f.optional,
                    "options": list(f.option_values()) or None, "list": f.list_name,
                    "when": f.when, "when_text": describe(f.when) if f.when else None,
                } for f in s.fields],
            })
        out.append({"id": stage.id, "title": stage.title, "summary": stage.summary,
                    "steps": steps})
    return out


def _explanation(texts: SurvivorTexts | None, explain: str | None) -> dict[str, Any] | None:
    found = texts.explanation(explain) if texts is not None and explain else None
    if found is None:
        return None
    return {"id": found.id, "title": found.title, "source": found.source,
            "parts": [{"id": p.id, "text": p.text, "when": p.when,
                       "when_text": describe(p.when) if p.when else None}
                      for p in found.parts]}
