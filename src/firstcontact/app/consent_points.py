"""What a consent explanation must cover before a decision is recorded.

A consent step may list the points its explanation must cover (the NRM: what it is, who
decides, the support, that it is not permission to stay, the police, that the person can say
no). A decision "given" needs every point ticked; "declined" needs at least one point or a few
words on what was explained; a step with no points needs those words. A box that "x"
satisfies is not an informed decision.
"""

from __future__ import annotations

from collections.abc import Sequence

from firstcontact.app.errors import Invalid
from firstcontact.domain.case import ConsentState
from firstcontact.domain.model import Checklist, ExplainPoint
from firstcontact.i18n import _

MIN_EXPLAINED = 10  # characters: a few words, not a mark


def points_for(checklist: Checklist, destination: str) -> tuple[ExplainPoint, ...]:
    step = next((s for s in checklist.steps if s.consent == destination), None)
    return step.points if step is not None else ()


def checked_points(checklist: Checklist, destination: str, decision: ConsentState,
                   ticked: Sequence[str], explained: str) -> tuple[str, ...]:
    """The ticked points in the step's order; :class:`Invalid` when the decision is not an
    informed one (or a point is not one of the step's)."""
    points = points_for(checklist, destination)
    ids = [p.id for p in points]
    unknown = sorted(set(ticked) - set(ids))
    if unknown:
        raise Invalid(_("not a point of this consent: {unknown} (the points are: {all})").format(
            unknown=", ".join(unknown), all=", ".join(ids) or _("none")))
    chosen = tuple(i for i in ids if i in set(ticked))
    words = len(explained.strip()) >= MIN_EXPLAINED
    if decision == "given" and len(chosen) < len(ids):
        missing = [_(p.label) for p in points if p.id not in chosen]
        raise Invalid(_("an informed decision needs every point explained; not yet: "
                        "{points}").format(points="; ".join(missing)))
    if decision in ("given", "declined") and not chosen and not words:
        raise Invalid(_("say what was explained, in a few words (at least {n} characters): "
                        "an informed decision needs it").format(n=MIN_EXPLAINED))
    return chosen
