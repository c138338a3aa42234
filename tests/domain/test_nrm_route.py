"""The NRM form's page flow: the three routes of nrm/README.md, from answers alone."""

import pytest

from firstcontact.checklists.loader import PACKAGE_DIR, _load_nrm
from firstcontact.domain.conditions import Facts
from firstcontact.domain.nrm_route import required_fields, route


@pytest.fixture(scope="module")
def form():
    return _load_nrm(PACKAGE_DIR)[0]


def pages(form, answers):
    return [p.path for p in route(form, Facts(answers=answers, derived=form.derived))]


def in_order(sequence, expected):
    """``expected`` occurs in ``sequence`` in that order (other pages may come between)."""
    it = iter(sequence)
    return all(any(p == e for p in it) for e in expected)


def test_child_route(form):
    path = pages(form, {"pv-under-age": "not-sure", "pv-want-to-submit-nrm": "yes"})
    assert in_order(path, ["/pv-under-age", "/local-authority-contacted-about-child",
                           "/what-is-their-background", "/pv-want-to-submit-nrm",
                           "/pv-name-referral", "/pv-ho-reference", "/fr-details",
                           "/fr-alternative-contact", "/upload-evidence"])
    for absent in ("/does-pv-need-support", "/who-contact", "/refuse-nrm",
                   "/pv-under-age-at-time-of-exploitation"):
        assert absent not in path


def test_adult_consent_route(form):
    path = pages(form, {"pv-under-age": "no", "pv-want-to-submit-nrm": "yes",
                        "does-pv-need-support": "yes", "who-contact": "potential-victim"})
    assert in_order(path, ["/pv-under-age-at-time-of-exploitation", "/pv-want-to-submit-nrm",
                           "/does-pv-need-support", "/pv-phone-number", "/pv-name-referral",
                           "/who-contact", "/pv-contact-details-referral", "/fr-details",
                           "/fr-alternative-contact", "/upload-evidence"])
    assert "/local-authority-contacted-about-child" not in path
    assert "/refuse-nrm" not in path
    other = pages(form, {"pv-under-age": "no", "pv-want-to-submit-nrm": "yes",
                         "does-pv-need-support": "no", "who-contact": "someone-else"})
    assert "/pv-phone-number" not in other
    assert in_order(other, ["/who-contact", "/someone-else", "/fr-details"])


@pytest.mark.parametrize(("cooperates", "identifying"), [("yes", True), ("no", False)])
def test_duty_to_notify_route(form, cooperates, identifying):
    answers = {"pv-under-age": "no", "pv-want-to-submit-nrm": "no",
               "authorities-cooperation": cooperates}
    path = pages(form, answers)
    tail = path[path.index("/pv-want-to-submit-nrm") + 1:]
    expected = ["/refuse-nrm", "/pv-gender-dtn", "/pv-nationality-dtn"]
    if identifying:
        expected += ["/pv-name-dtn", "/pv-contact-details-dtn"]
    assert tail == expected
    required = {f for f, _page in required_fields(form, Facts(answers, derived=form.derived))}
    assert ("pv-name-first-name" in required) is identifying
    assert "pv-dob" not in required
    assert "pv-phone-number" not in required


def test_required_fields_follow_required_when_and_skip_legacy(form):
    answers = {"pv-under-age": "no", "pv-want-to-submit-nrm": "yes", "reported-to-police": "yes",
               "were-they-taken-somewhere-by-their-exploiter": "no"}
    facts = Facts(answers, derived=form.derived)
    required = {f for f, _page in required_fields(form, facts)}
    assert {"reported-to-police-police-forces", "reported-to-police-crime-reference"} <= required
    assert "were-they-taken-somewhere-by-their-exploiter-journey-details" not in required
    assert not {"what-happened", "why-they-stayed", "upload-file"} & required



def test_before_a_branch_question_is_answered_only_what_every_branch_needs(form):
    """Before the age is known the list does not ask for the child route's local authority
    (the form's default branch) but still asks for what both routes need."""
    from firstcontact.domain.nrm_route import surely_required, undecided_at

    settled = frozenset({"pv-want-to-submit-nrm"})  # follows from the consent record

    def surely(answers):
        return [f for f, _page in surely_required(form, Facts(answers, derived=form.derived),
                                                  settled)]

    def on_route(answers):
        return [f for f, _page in required_fields(form, Facts(answers, derived=form.derived))]

    unknown = surely({})
    assert "pv-under-age" in unknown
    assert not any(f.startswith("local-authority-contacted") for f in unknown)
    assert {"fr-details-phone", "education"} <= set(unknown)  # on both routes
    assert undecided_at(form, Facts({}, derived=form.derived), settled) == "/pv-under-age"
    for age in ("yes", "no"):
        assert set(unknown) <= set(on_route({"pv-under-age": age}))
    child = surely({"pv-under-age": "yes"})
    assert "local-authority-contacted-about-child-local-authority-name" in child
    steered = Facts(ADULT_STEERED, derived=form.derived)
    assert undecided_at(form, steered, settled) is None
    assert surely(ADULT_STEERED) == on_route(ADULT_STEERED)


# every question that steers the adult route answered: the two lists agree
ADULT_STEERED = {"pv-under-age": "no", "potential-victim-exploitative-situation-multiple": "no",
                 "still-in-exploitative-situation": "no",
                 "is-this-the-first-chance-to-report": "yes",
                 "where-exploitation-happened": "uk", "exploiters-location": "no",
                 "future-exploitation-concerns": "no", "does-pv-need-support": "yes",
                 "who-contact": "potential-victim"}
