"""The translation catalogs: the template holds every text the app shows, under the context the
app looks it up with; `make check-strings` fails on an out-of-date template or a broken
catalog."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from firstcontact.app.data_views import DataViews
from firstcontact.app.person_texts import person_texts
from firstcontact.checklists import load_checklist
from firstcontact.checklists.localize import (
    localized_checklist,
    localized_destinations,
    localized_survivor_texts,
)

ROOT = Path(__file__).resolve().parents[2]


def texts(localize, data) -> list[str]:
    seen: list[str] = []

    def record(_context: str, text: str, _note: str) -> str:
        if text:
            seen.append(text)
        return text

    localize(data, record)
    return seen


def test_every_text_of_the_data_is_translated_under_the_context_it_is_looked_up_with(
        pseudo_locale):
    view = DataViews(load_checklist()).view()
    untranslated = [t for t in texts(localized_checklist, view.checklist)
                    + texts(localized_destinations, view.destinations) if not t.startswith("⟦")]
    assert untranslated == []
    survivor = person_texts(load_checklist(), pseudo_locale)
    assert [t for t in texts(localized_survivor_texts, survivor) if not t.startswith("⟦")] == []
    options = [survivor.letter.value_words("pv-gender", v) or "" for v in ("female", "male")]
    assert all(words.startswith("⟦") for words in options)  # answers in the letter too


def test_the_data_keeps_its_ids_and_rules_in_another_language(pseudo_locale):
    source = load_checklist()
    translated = DataViews(source).view().checklist
    assert [s.id for s in translated.steps] == [s.id for s in source.steps]
    assert [s.when for s in translated.steps] == [s.when for s in source.steps]
    assert translated.steps[0].title != source.steps[0].title


def _catalogs_module(root: Path):
    spec = importlib.util.spec_from_file_location("catalogs_under_test",
                                                  root / "translations" / "catalogs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _copy(tmp_path: Path) -> Path:
    """A copy of the project's translations and sources (the check extracts from them)."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "translations", root / "translations")
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_the_check_passes_on_the_project_as_committed():
    assert _catalogs_module(ROOT).check() == []


def test_the_check_fails_on_a_template_out_of_date_with_the_data(tmp_path):
    root = _copy(tmp_path)
    interview = root / "src" / "firstcontact" / "checklists" / "interview.toml"
    text = interview.read_text(encoding="utf-8")
    interview.write_text(text.replace('title = "Who else is here"',
                                      'title = "Who else is with them"'), encoding="utf-8")
    found = _catalogs_module(root).check()
    assert any("firstcontact.pot is out of date" in line for line in found), found


def test_a_string_that_only_moved_down_its_file_is_not_out_of_date(tmp_path):
    """A comment added above a string moves its line, not the string: the template holds."""
    root = _copy(tmp_path)
    code = root / "src" / "firstcontact" / "ui" / "settings_dialog.py"
    text = code.read_text(encoding="utf-8")
    code.write_text(text.replace("from __future__ import annotations\n",
                                 "from __future__ import annotations\n\n# a note\n# another\n", 1),
                    encoding="utf-8")
    assert _catalogs_module(root).check() == []


def test_the_check_fails_on_a_catalog_whose_placeholders_differ(tmp_path):
    root = _copy(tmp_path)
    po = root / "translations" / "xx" / "LC_MESSAGES" / "firstcontact.po"
    po.parent.mkdir(parents=True)
    po.write_text('# X-Translation-Status: needs review\n'
                  'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  '#, python-brace-format\nmsgid "Case {reference}"\nmsgstr "Achos {cyfeirnod}"\n',
                  encoding="utf-8")
    found = _catalogs_module(root).check()
    assert any("placeholders ['cyfeirnod'] differ from ['reference']" in line
               for line in found), found
    assert any("lacks" in line for line in found), found  # not merged with the template
