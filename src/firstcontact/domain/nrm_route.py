"""The NRM / Duty to Notify form's page flow for a case: which pages, which required fields."""

from __future__ import annotations

from firstcontact.domain.conditions import Facts, evaluate, fields_read, is_present
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


def surely_required(form: NrmForm, facts: Facts,
                    settled: frozenset[str] = frozenset()) -> tuple[tuple[str, str], ...]:
    """Like `required_fields`, but where the way on depends on a required question with no
    answer yet (e.g. "Is the person under 18?"), only the fields that every way on would
    require: the child route's local authority is not asked for before the age is known.

    That question is itself required and missing, so a pack is never complete on this list
    alone: once every required question is answered the two lists are the same. Fields in
    ``settled`` never hold the way open: they are not questions but follow from something
    else (``pv-want-to-submit-nrm`` from the consent record, which the pack asks for itself).
    """
    memo: dict[str, tuple[tuple[str, str], ...]] = {}

    def from_page(path: str, visiting: frozenset[str]) -> tuple[tuple[str, str], ...]:
        page = form.page(path)
        if path == END or page is None or path in visiting:
            return ()
        if path not in memo:
            here = tuple((fid, path) for fid in page.fields
                         if page.reachable and _required(form, fid, facts))
            ways = _ways_on(form, page, facts, settled)
            inner = visiting | {path}
            branches = [from_page(p, inner) for p in ways]
            common = set.intersection(*({f for f, _p in b} for b in branches))
            # in the order of the way the portal would take today (the first one)
            memo[path] = here + tuple(item for item in branches[0] if item[0] in common)
        return memo[path]

    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for fid, path in from_page(START, frozenset()):
        if fid not in seen:
            seen.add(fid)
            out.append((fid, path))
    return tuple(out)


def undecided_at(form: NrmForm, facts: Facts,
                 settled: frozenset[str] = frozenset()) -> str | None:
    """The first page on the route whose way on waits for a required answer, or None."""
    return next((page.path for page in route(form, facts)
                 if len(_ways_on(form, page, facts, settled)) > 1), None)


def _required(form: NrmForm, fid: str, facts: Facts) -> bool:
    nf = form.fields.get(fid)
    return (nf is not None and nf.required and not nf.unused
            and (nf.required_when is None or evaluate(nf.required_when, facts)))


def _ways_on(form: NrmForm, page: NrmPage, facts: Facts, settled: frozenset[str]) -> list[str]:
    """The next page, or every page that may come next while a required question that
    decides it has no answer (the one the portal would take today first)."""
    taken = next((f.to for f in page.forks if evaluate(f.when, facts)), page.next)
    open_forks = [f for f in page.forks
                  if any(fid not in settled and _required(form, fid, facts)
                         and not is_present(facts.answers.get(fid))
                         for fid in fields_read(f.when, facts.derived))]
    if not open_forks:
        return [taken]
    ways = [taken]
    for to in (*(f.to for f in open_forks), page.next):
        if to not in ways:
            ways.append(to)
    return ways
