"""The one condition evaluator: every form of the language, and validation of bad conditions."""

import pytest

from firstcontact.domain.conditions import Facts, describe, evaluate, problems

CHILD = {"any": [{"field": "pv-under-age", "equals": "yes"},
                 {"field": "pv-under-age", "equals": "not-sure"}]}


def facts(answers=None, consents=None):
    return Facts(answers=answers or {}, consents=consents or {}, derived={"child": CHILD})


@pytest.mark.parametrize(("answers", "expected"), [
    ({"pv-under-age": "yes"}, True),
    ({"pv-under-age": "not-sure"}, True),
    ({"pv-under-age": "no"}, False),
    ({}, False),
])
def test_derived_child(answers, expected):
    assert evaluate({"derived": "child"}, facts(answers)) is expected


def test_equals_on_multiple_choice_means_includes():
    f = facts({"pv-contact-details": ["email", "post"]})
    assert evaluate({"field": "pv-contact-details", "equals": "post"}, f)
    assert not evaluate({"field": "pv-contact-details", "equals": "phone"}, f)


def test_checkbox_true_means_ticked_and_false_is_not_true():
    assert evaluate({"field": "types-of-exploitation-other", "equals": True},
                    facts({"types-of-exploitation-other": True}))
    assert not evaluate({"field": "types-of-exploitation-other", "equals": True},
                        facts({"types-of-exploitation-other": False}))


def test_unanswered_field_is_false_except_absent():
    f = facts({})
    assert not evaluate({"field": "x", "equals": "yes"}, f)
    assert not evaluate({"not": {"field": "x", "is": "absent"}}, f)
    assert evaluate({"field": "x", "is": "absent"}, f)
    assert evaluate({"field": "x", "is": "present"}, facts({"x": "a"}))
    assert not evaluate({"field": "x", "is": "present"}, facts({"x": ""}))


def test_all_any_not_and_consent():
    f = facts({"a": "yes"}, {"nrm": "declined"})
    assert evaluate({"all": [{"field": "a", "equals": "yes"},
                             {"consent": "nrm", "equals": "declined"}]}, f)
    assert not evaluate({"all": [{"field": "a", "equals": "yes"},
                                 {"consent": "nrm", "equals": "given"}]}, f)
    assert evaluate({"any": [{"field": "a", "equals": "no"},
                             {"not": {"derived": "child"}}]}, f)
    assert evaluate({"consent": "legal", "equals": "none"}, f)


@pytest.mark.parametrize(("cond", "fragment"), [
    ({"field": "a"}, "is not one of"),
    ({"field": "zzz", "equals": "x"}, "unknown field 'zzz'"),
    ({"derived": "adult"}, "unknown derived fact 'adult'"),
    ({"consent": "nrm", "equals": "maybe"}, "consent state must be"),
    ({"consent": "police", "equals": "given"}, "unknown destination 'police'"),
    ({"all": []}, "non-empty list"),
    ({"field": "a", "is": "there"}, "'is' must be"),
    ("a = yes", "must be a table"),
])
def test_problems_name_what_is_wrong(cond, fragment):
    found = problems(cond, fields={"a": 1}, derived=["child"], destinations=["nrm", "legal"])
    assert any(fragment in p for p in found), found


def test_valid_condition_has_no_problems():
    assert problems(CHILD, fields={"pv-under-age": 1}, derived=["child"]) == []


def test_describe_is_readable():
    assert describe({"all": [{"field": "a", "equals": True}, {"not": {"derived": "child"}}]}) \
        == "(a = true and not child)"
