"""Which editor for which field type."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from firstcontact.domain.model import Field
from firstcontact.ui.interview.choice_editors import ChoiceEditor, MultiChoiceEditor
from firstcontact.ui.interview.date_editor import DateEditor
from firstcontact.ui.interview.editors import (
    CheckboxEditor,
    FieldEditor,
    LongTextEditor,
    NumberEditor,
    TextEditor,
)
from firstcontact.ui.interview.list_editor import ListEditor, ListModels


def make_editor(field: Field, lists: ListModels, parent: QWidget | None = None) -> FieldEditor:
    kind = field.type
    if kind == "longtext":
        return LongTextEditor(field, parent)
    if kind == "choice":
        return ChoiceEditor(field, parent)
    if kind == "multichoice":
        return MultiChoiceEditor(field, parent)
    if kind == "checkbox":
        return CheckboxEditor(field, parent)
    if kind == "number":
        return NumberEditor(field, parent)
    if kind == "date":
        return DateEditor(field, parent)
    if kind == "list":
        return ListEditor(field, lists, parent)
    return TextEditor(field, parent)
