"""The shipped interview data: complete criteria, every PC covered, prompts that read as a
trauma-informed practitioner would say them."""

import re
import shutil

import pytest

from firstcontact.checklists import ChecklistError, load_checklist
from firstcontact.checklists.loader import PACKAGE_DIR


@pytest.fixture(scope="module")
def checklist():
    return load_checklist()


def test_all_35_pcs_and_25_ks_with_text_from_the_standard(checklist):
    assert [c.id for c in checklist.criteria] == [f"PC{i}" for i in range(1, 36)]
    assert [k.id for k in checklist.knowledge] == [f"K{i}" for i in range(1, 26)]
    assert checklist.criterion("PC22").text.startswith("conduct a conversation which avoids "
                                                       "contaminating evidence")
    assert checklist.criterion("K18").text.startswith("the importance of not allowing someone "
                                                      "accompanying")


def test_every_pc_covered_by_a_step(checklist):
    for c in checklist.criteria:
        assert checklist.steps_for(c.id), c.id


LEADING = [r"\bwhy didn'?t you\b", r"\bwhy did you\b", r"\byou must tell\b", r"\bprove\b",
           r"\bwhy were you\b", r"\bwhy haven'?t you\b", r"\byou have to tell\b"]


def test_prompts_do_not_blame_or_demand(checklist):
    for step in checklist.steps:
        text = " ".join([step.prompt, *(f.label for f in step.fields),
                         *(f.help for f in step.fields)]).lower()
        for pattern in LEADING:
            assert not re.search(pattern, text), (step.id, pattern)


def test_sensitive_steps_tell_the_person_they_need_not_answer(checklist):
    sensitive = [s for s in checklist.steps if s.sensitive]
    assert len(sensitive) >= 5
    choice = re.compile(r"(don't have to|do not have to|only if|if you want|when you're ready|"
                        r"if you'd like|would you like|your choice|you can stop|whatever you)")
    lacking = [s.id for s in sensitive if not choice.search(s.prompt.lower())]
    assert lacking == []


def copy_data(tmp_path):
    target = tmp_path / "checklists"
    shutil.copytree(PACKAGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def break_file(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    ("interview.toml", 'pcs = ["PC', 'pcs = ["PC99", "PC', "PC99, which is not a criterion"),
    ("interview.toml", 'type = "choice"', 'type = "dropdown"', "interview.toml: step"),
    ("interview.toml", '[[step]]', '[[step]]\nbogus = 1', "Additional properties"),
    ("criteria.toml", 'id = "PC35"', 'id = "PC36"', "without gaps"),
    ("interview.toml", 'id = "fc-language"', 'id = "language-of-choice"',
     "not a field of the NRM form"),
    ("interview.toml", 'consent_language_field = "fc-language"',
     'consent_language_field = "fc-tongue"', "unknown field 'fc-tongue'"),
])
def test_broken_file_names_file_entry_and_problem(tmp_path, file, old, new, expected):
    target = copy_data(tmp_path)
    break_file(target / file, old, new)
    with pytest.raises(ChecklistError) as info:
        load_checklist(target)
    assert expected in str(info.value)
    assert str(info.value).startswith(file)


def test_an_uncovered_pc_is_refused(tmp_path):
    target = copy_data(tmp_path)
    path = target / "interview.toml"
    text = path.read_text("utf-8")
    # remove PC35 from every step
    text = re.sub(r'"PC35",?\s*', "", text)
    path.write_text(re.sub(r",\s*\]", "]", text), "utf-8")
    with pytest.raises(ChecklistError, match="PC35 is not evidenced by any step"):
        load_checklist(target)


def test_nrm_option_mismatch_is_refused(tmp_path):
    target = copy_data(tmp_path)
    tail = '\n   ],\n   "pages": [\n    "/pv-under-age"'
    break_file(target / "nrm" / "nrm-form.json", '"not-sure"' + tail, '"unsure"' + tail)
    with pytest.raises(ChecklistError, match="options must be exactly the NRM form's"):
        load_checklist(target)
