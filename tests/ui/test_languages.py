"""Issue 16: the worker chooses the screens' language in Settings; switching rebuilds the screens
in it without losing the open interview (the step shown, text typed but not stored, its
message); the words for the person show in their language with the translation's status, right
to left where it is written so."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from firstcontact import i18n
from tests.ui.helpers import click
from tests.ui.test_interview_ui import find_field, open_new_case


def choose_language(qtbot, window, code: str) -> None:
    dialog = window.open_settings()
    qtbot.waitUntil(dialog.isVisible)
    dialog.language.setCurrentIndex(dialog.language.findData(code))
    click(qtbot, dialog.save_button)


def test_switching_language_keeps_the_open_interview_and_what_was_typed(
        qtbot, pseudo_locale, unlocked):
    i18n.set_language(i18n.ENGLISH)  # the worker starts in English; the pseudo-locale exists
    window = unlocked.window
    window.retranslate()
    page = open_new_case(qtbot, unlocked)
    session = page.session
    step_id, field = find_field(page, "list", plain=False)
    page.go_to_step(step_id)
    row = page.form.rows[field.id]
    combo = row.editor.focus_target()
    qtbot.keyClicks(combo.lineEdit(), "Nowhere at all")  # refused: not a list entry
    row.editor.committed.emit()
    english_message = row.message.text()
    assert english_message and not english_message.startswith("⟦")

    choose_language(qtbot, window, pseudo_locale)

    page = window.interview
    assert page.session is session and page.current_step == step_id
    row = page.form.rows[field.id]
    assert row.editor.focus_target().currentText() == "Nowhere at all"  # typed text kept
    assert row.message.text().startswith("⟦") and row.message.isVisible()  # said again
    assert page.next_button.text().startswith("⟦")
    assert window.quick_exit_button.text().startswith("⟦")
    assert unlocked.ws.settings.preferences().language == pseudo_locale
    assert field.id not in session.state.answers  # nothing was stored on the way

    choose_language(qtbot, window, i18n.ENGLISH)
    assert window.interview.next_button.text() == "&Next"
    assert window.interview.form.rows[field.id].editor.focus_target().currentText() == \
        "Nowhere at all"


def test_the_saved_language_applies_at_the_next_unlock(qtbot, pseudo_locale, unlocked):
    unlocked.ws.settings.save_preferences(language=pseudo_locale)
    i18n.set_language(i18n.ENGLISH)
    ws = unlocked.ws
    unlocked.window.close_for_lock()
    unlocked.open_workspace(ws)
    assert unlocked.window.lock_button.text().startswith("⟦")


@pytest.fixture
def arabic_texts(pseudo_catalogs, monkeypatch, tmp_path):
    """The texts for the person in "ar" (a copy of the pseudo catalog: right to left)."""
    import shutil

    from firstcontact.app import person_texts

    shutil.copytree(pseudo_catalogs, tmp_path / "locale")
    (tmp_path / "locale" / "qps").rename(tmp_path / "locale" / "ar")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    # the texts translated so far (another test may have read the real Arabic ones)
    monkeypatch.setattr(person_texts, "_TRANSLATED", {})
    i18n.catalog.cache_clear()
    person_texts.person_languages.cache_clear()
    yield
    monkeypatch.undo()
    i18n.catalog.cache_clear()
    person_texts.person_languages.cache_clear()


def test_the_words_for_the_person_follow_their_language_with_its_status(
        qtbot, arabic_texts, unlocked):
    page = open_new_case(qtbot, unlocked)
    unlocked.ws.cases.answer(page.session.reference, "fc-language", "Arabic (Sudanese)")
    page.session.reload()
    step = next(s for s in unlocked.ws.checklist.steps if s.explain)
    page.go_to_step(step.id)
    box = page.form.explanation
    assert box.isVisible()
    assert box.language.currentData() == "ar"  # the recorded language, recognised
    assert all(text.startswith("⟦") for text in box.texts())
    assert box.body.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert box.status.isVisible() and "not been reviewed" in box.status.text()
    box.language.setCurrentIndex(box.language.findData("en"))  # the worker shows English
    assert not any(text.startswith("⟦") for text in box.texts())
    assert box.body.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert not box.status.isVisible()
