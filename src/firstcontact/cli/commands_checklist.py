"""``criteria`` and ``steps``: the interview data, readable and as JSON."""

from __future__ import annotations

import argparse
import textwrap
from typing import TYPE_CHECKING, Any

from firstcontact.cli.errors import CliError
from firstcontact.cli.output import print_json
from firstcontact.i18n import _

if TYPE_CHECKING:
    from firstcontact.domain.model import Checklist


def register(sub: Any) -> None:
    p = sub.add_parser("criteria", help=_("list every PC and K item with the steps that cover it"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_criteria)
    p = sub.add_parser("steps", help=_("the interview outline: stages, steps, fields, conditions"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_steps)


def checklist() -> Checklist:
    """The interview data in the language the environment asks for (LANGUAGE, LANG …)."""
    from firstcontact.app.data_views import DataViews
    from firstcontact.checklists import ChecklistError, load_checklist

    try:
        return DataViews(load_checklist()).view().checklist
    except ChecklistError as exc:
        raise CliError(_("the interview data is broken: {problem}").format(problem=exc)) from None


def cmd_criteria(args: argparse.Namespace) -> int:
    from firstcontact.app.outline import criteria_view

    items = criteria_view(checklist())
    if args.json:
        print_json([{k: v for k, v in i.items() if k != "kind"} for i in items])
        return 0
    for item in items:
        print(f"{item['id']:>4}  {item['text']}")
        steps = ", ".join(item["steps"]) or "—"
        print(textwrap.fill(steps, 96, initial_indent="      → ", subsequent_indent="        "))
        for need in item.get("evidence", ()):
            print(textwrap.fill(_("evidenced when {condition}").format(
                condition=need["when_text"]), 96, initial_indent="      ✓ ",
                subsequent_indent="        "))
    return 0


def cmd_steps(args: argparse.Namespace) -> int:
    from firstcontact.app.outline import steps_view
    from firstcontact.checklists import ChecklistError
    from firstcontact.checklists.survivor import load_survivor_texts

    data = checklist()
    try:
        texts = load_survivor_texts(data)
    except ChecklistError as exc:
        raise CliError(_("the interview data is broken: {problem}").format(problem=exc)) from None
    outline = steps_view(data, texts)
    if args.json:
        print_json(outline)
        return 0
    for stage in outline:
        print(f"\n{stage['title']}  [{stage['id']}]")
        for step in stage["steps"]:
            extra = f"  when {step['when_text']}" if step["when_text"] else ""
            consent = f"  consent: {step['consent']}" if step["consent"] else ""
            print(f"  {step['id']}: {step['title']}  ({', '.join(step['pcs'])}){consent}{extra}")
            for point in step["points"]:
                print("      " + _("point {id}: {label}").format(**point))
            for f in step["fields"]:
                when = f"  when {f['when_text']}" if f["when_text"] else ""
                opts = f" [{ ' | '.join(f['options']) }]" if f["options"] else ""
                lst = f" [list: {f['list']}]" if f["list"] else ""
                print(f"      {f['id']} ({f['type']}){opts}{lst}{when}")
    return 0
