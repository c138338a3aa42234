"""Small helpers every screen uses: accessible names, headings that scale with the system
font, escaping data text for labels, the neutral window title."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from firstcontact.i18n import _

W = TypeVar("W", bound=QWidget)

# Case content never goes into a window title (brief §4): one neutral title everywhere.
WINDOW_TITLE = "firstcontact"
ERROR_COLOUR = "#a1001c"  # 7.8:1 on white


def neutral_title(widget: QWidget) -> None:
    widget.setWindowTitle(WINDOW_TITLE)


def named(widget: W, name: str, description: str = "") -> W:
    """Give ``widget`` an accessible name (and description) for screen readers."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def plain(text: str) -> str:
    """Data text for a label that may carry a mnemonic: a literal '&' stays a '&'."""
    return text.replace("&", "&&")


def form_layout(parent: QWidget | None = None) -> QFormLayout:
    """A form whose labels are never cut off: a field that does not fit beside its label (a
    long translation) goes under it."""
    form = QFormLayout(parent) if parent is not None else QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def heading(text: str, scale: float = 1.25, *, parent: QWidget | None = None) -> QLabel:
    """A bold label scaled relative to the system font (no fixed pixel sizes)."""
    label = QLabel(text, parent)
    font = QFont(label.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def wrapped(text: str, *, parent: QWidget | None = None, selectable: bool = True) -> QLabel:
    """A plain, word-wrapped, keyboard-selectable text label (never rich text from data)."""
    from PySide6.QtCore import Qt

    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setAccessibleName(text[:200])
    return label


ERROR_COLOUR_ON_DARK = "#ff9e9e"  # 7.2:1 on #2a2a2a


def error_colour(widget: QWidget) -> str:
    """Dark red on a light theme, light red on a dark one: readable on either."""
    background = widget.palette().color(widget.backgroundRole())
    return ERROR_COLOUR if background.lightness() >= 128 else ERROR_COLOUR_ON_DARK


def error_style(label: QLabel) -> None:
    label.setStyleSheet(f"color: {error_colour(label)};")


QUICK_EXIT_STYLE = ("QPushButton { background-color: #b00020; color: #ffffff; "
                    "font-weight: bold; padding: 4px 12px; } "
                    "QPushButton:focus { outline: 2px solid #000000; }")


def quick_exit_look(button: QWidget) -> QWidget:
    """The same red Quick exit everywhere, kept out of the Tab order: a Space typed after a
    stray Tab must not quit. Alt+X, Esc twice, Ctrl+Shift+Q and a click still work."""
    from PySide6.QtCore import Qt

    button.setStyleSheet(QUICK_EXIT_STYLE)
    button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    return button


def quick_exit_hint() -> str:
    return _("Quick exit hides everything at once and locks: press Esc twice, or "
             "Ctrl+Shift+Q, or the red Quick exit button.")


def sync_status_text() -> str:
    """Sync is not implemented yet: say so plainly, never fake it."""
    return _("Not synced — sync is not set up")
