"""The NRM / Duty to Notify form's page flow for a case: which pages, which required fields."""

from __future__ import annotations

from firstcontact.domain.conditions import Facts, evaluate
from firstcontact.domain.model import NrmForm, NrmPage

START, END = "/reference", "/confirm"


def route(form: NrmForm, facts: Facts) -> tuple[NrmPage, ...]:
    """The pages the portal would show for these facts, in order (``/confirm`` excluded)."""
    pages: list[NrmPage] = []
    path = START
    while path != END:
        page = form.page(path)
        if page is None or page in pages:  # the loader refuses unknown pages; never loop
            break
        pages.append(page)
        path = next((f.to for f in page.forks if evaluate(f.when, facts)), page.next)
    return tuple(pages)


def required_fields(form: NrmForm, facts: Facts) -> tuple[tuple[str, str], ...]:
    """(field id, page) for every field the form requires on this route, in page order.

    A field is required when the form marks it required, its ``required_when`` holds (if
    any), it is not legacy, and one of its pages is on the route.
    """
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for page in route(form, facts):
        if not page.reachable:
            continue
        for fid in page.fields:
            nf = form.fields[fid]
            if fid in seen or not nf.required or nf.unused:
                continue
            if nf.required_when is not None and not evaluate(nf.required_when, facts):
                continue
            seen.add(fid)
            out.append((fid, page.path))
    return tuple(out)
