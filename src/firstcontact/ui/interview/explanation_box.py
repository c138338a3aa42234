"""The words a step reads with the person (the survivor texts' explanation for the case:
confidentiality and its limits, the NRM, the police), in their own box under the script — in the
person's language where there is a translation, laid out right to left where it is written so,
and with the translation's review status said before the worker uses it."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from firstcontact.app.person_texts import ExplanationView, PersonLanguage
from firstcontact.i18n import _, language_name
from firstcontact.i18n import current_locale as language_code
from firstcontact.ui.common import heading, named, wrapped


def worker_name(language: PersonLanguage) -> str:
    """The language as the worker's screens name it: "العربية (Arabic)", "العربية (Arabeg)"."""
    theirs = language_name(language.code, language_code())
    return language.name if language.name == theirs else f"{language.name} ({theirs})"


def status_words(language: PersonLanguage) -> str:
    """What the worker must know of a translation before reading it with the person."""
    if language.status == "":
        return ""
    name = language_name(language.code, language_code())
    if language.reviewed:
        return _("{language}: a translation reviewed by an accredited translator.").format(
            language=name)
    return _("{language}: this translation has not been reviewed by an accredited translator "
             "yet. Go through it with the interpreter before relying on it.").format(
        language=name)


class ExplanationBox(QFrame):
    language_chosen = Signal(str)  # a language code: show the words in it

    def __init__(self, languages: tuple[PersonLanguage, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explanation")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#explanation { border: 1px solid #2f6f4f; }")
        self.box = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Words for the person"), 1.05), 1)
        self.language = named(QComboBox(self), _("Language of the words for the person"),
                              _("The person's recorded language is chosen when there is a "
                                "translation"))
        self.language.setObjectName("explanation-language")
        for lang in languages:
            self.language.addItem(worker_name(lang), lang.code)
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_chosen.emit(str(self.language.currentData())))
        shown_in = QLabel(_("Sho&w in:"), self)
        shown_in.setBuddy(self.language)
        top.addWidget(shown_in)
        top.addWidget(self.language)
        self.box.addLayout(top)
        self.box.addWidget(wrapped(_(
            "Read these words with the person, one part at a time, in their language (through "
            "the interpreter if there is one). They fit this case."), parent=self,
            selectable=False))
        self.status = wrapped("", parent=self, selectable=False)
        self.status.setObjectName("translation-status")
        self.box.addWidget(self.status)
        self.body = QWidget(self)  # the person's words: their direction, their locale
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.title = heading("", 1.0, parent=self.body)
        self.body_layout.addWidget(self.title)
        self.box.addWidget(self.body)
        self.parts: list[QLabel] = []
        self._shown: ExplanationView | None = None
        self.hide()

    def show_explanation(self, view: ExplanationView | None) -> None:
        self.setVisible(view is not None)
        if view is None or view == self._shown:
            return
        self._shown = view
        lang = view.language
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(0, self.language.findData(lang.code)))
        self.language.blockSignals(False)
        self.status.setText(status_words(lang))
        self.status.setVisible(bool(self.status.text()))
        self.status.setStyleSheet("" if lang.reviewed else "color: #8a4b00; font-weight: bold;")
        direction = (Qt.LayoutDirection.RightToLeft if lang.rtl
                     else Qt.LayoutDirection.LeftToRight)
        self.body.setLayoutDirection(direction)
        self.body.setLocale(QLocale(lang.code))
        self.title.setText(view.title)
        for label in self.parts:
            label.deleteLater()
        self.parts = []
        for _part_id, text in view.parts:
            label = wrapped(text, parent=self.body)
            label.setLayoutDirection(direction)
            label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
            self.body_layout.addWidget(label)
            label.show()  # added to a box that may be on screen already
            self.parts.append(label)

    @property
    def shown(self) -> ExplanationView | None:
        return self._shown

    def texts(self) -> list[str]:
        return [label.text() for label in self.parts]
