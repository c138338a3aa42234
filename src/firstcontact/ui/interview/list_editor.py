"""list → an editable combo box with type-ahead over an NRM value list (thousands of entries).

The list models are shared between editors (one QStringListModel per list); the completer
matches anywhere in the entry, ignoring case. The saved value must be an exact entry: anything
else is refused by the application layer with a message, and what was typed stays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QStringListModel, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from firstcontact.domain.model import Field, Value
from firstcontact.i18n import _
from firstcontact.ui.interview.editors import FieldEditor


class ListModels(QObject):
    """One shared string model per value list (built on first use)."""

    def __init__(self, values: Callable[[Field], Sequence[str]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._values = values
        self._models: dict[tuple[str, tuple[str, ...]], QStringListModel] = {}

    def model_for(self, field: Field) -> QStringListModel:
        key = (field.list_name or "", field.list_excludes)
        model = self._models.get(key)
        if model is None:
            model = QStringListModel(list(self._values(field)), self)
            self._models[key] = model
        return model


class _Combo(QComboBox):
    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Up/Down open the matches for what was typed instead of silently replacing it with
        the list's neighbouring entry (Qt's default: "South E" + Down became "Aberdeenshire")."""
        completer = self.completer()
        popup = completer.popup() if completer is not None else None
        browsing = event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp,
                                   Qt.Key.Key_PageDown)
        if (browsing and completer is not None and popup is not None and not popup.isVisible()
                and not event.modifiers() & Qt.KeyboardModifier.AltModifier):
            text = self.currentText()
            if text.strip() and self.findText(text) < 0:
                completer.setCompletionPrefix(text)
                completer.complete()  # shows nothing when nothing matches
            else:
                self.showPopup()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        completer = self.completer()
        popup = completer.popup() if completer is not None else None
        if popup is not None and popup.isVisible():
            return
        parent = self.parentWidget()
        if isinstance(parent, FieldEditor):
            parent.committed.emit()


def searchable_combo(model: QStringListModel, name: str,
                     parent: QWidget | None = None) -> QComboBox:
    """An editable combo box over ``model`` with contains-matching type-ahead."""
    combo = _Combo(parent)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setModel(model)
    combo.setMaxVisibleItems(15)
    combo.setAccessibleName(name)
    completer = QCompleter(model, combo)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setMaxVisibleItems(12)
    combo.setCompleter(completer)
    combo.setCurrentIndex(-1)
    combo.setEditText("")
    line = combo.lineEdit()
    if line is not None:
        line.setPlaceholderText(_("Type to search the list"))
        line.setAccessibleName(name)
    return combo


class ListEditor(FieldEditor):
    def __init__(self, field: Field, models: ListModels, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.combo = searchable_combo(models.model_for(field), field.label, self)
        self.combo.setAccessibleDescription(field.help)
        self._layout.addWidget(self.combo, 1)
        self.combo.activated.connect(lambda _index: self.committed.emit())
        completer = self.combo.completer()
        if completer is not None:
            completer.activated.connect(self._chosen)

    def _chosen(self, text: str) -> None:
        """A match was chosen (Enter or a click): saved, and the cursor moves on to the next
        question instead of staying in the list."""
        self.combo.setEditText(text)
        self.committed.emit()
        self.combo.focusNextChild()

    def value(self) -> Value | None:
        text = self.combo.currentText()
        return text if text.strip() else None

    def set_value(self, value: Value | None) -> None:
        self.combo.blockSignals(True)
        try:
            index = self.combo.findText(str(value)) if value is not None else -1
            self.combo.setCurrentIndex(index)
            self.combo.setEditText("" if value is None else str(value))
        finally:
            self.combo.blockSignals(False)

    def focus_target(self) -> QWidget:
        return self.combo
