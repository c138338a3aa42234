"""What the worker sees when something unexpected goes wrong: a plain message, never a
traceback, and the error written to the log without content (firstcontact.logs).

:func:`install` puts a ``sys.excepthook`` in place (PySide hands exceptions raised in slots to
it) and a Qt message handler that logs Qt's own warnings.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from firstcontact.i18n import _
from firstcontact.logs import log_error
from firstcontact.ui.common import neutral_title

log = logging.getLogger("firstcontact.qt")
_shown: list[QMessageBox] = []


def something_went_wrong() -> str:
    return _("Something went wrong. Your work up to the last “Saved” is kept. If it happens "
             "again, lock the app and unlock it; the problem was written to the app's log "
             "(without any case content).")


def _show() -> None:
    app = QApplication.instance()
    if not isinstance(app, QApplication) or any(box.isVisible() for box in _shown):
        return  # one message at a time, however many errors follow
    parent = app.activeWindow()
    box = QMessageBox(QMessageBox.Icon.Warning, _("Something went wrong"),
                      something_went_wrong(), QMessageBox.StandardButton.Ok, parent)
    neutral_title(box)
    box.setObjectName("unexpected-error")
    box.finished.connect(lambda _r, b=box: _shown.remove(b) if b in _shown else None)
    _shown.append(box)
    box.open()


def report_unexpected(exc: BaseException, where: str = "worker") -> None:
    """Log an error without content and tell the worker plainly."""
    log_error(where, type(exc), exc.__traceback__)
    _show()


def excepthook(exc_type: type[BaseException], exc: BaseException,
               tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log_error("unhandled", exc_type, tb)
    _show()


def qt_messages(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(kind, logging.ERROR)
    # Qt's own messages name widgets and platform features, never field values
    log.log(level, "%s", message[:300])


def install() -> None:
    sys.excepthook = excepthook
    qInstallMessageHandler(qt_messages)


def shown_messages() -> list[QMessageBox]:
    """The error messages on screen (tests)."""
    return [box for box in _shown if box.isVisible()]
