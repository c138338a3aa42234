"""The Qt application: creates the QApplication and the first window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from firstcontact.i18n import _


def run(data_dir: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle(_("firstcontact"))
    window.setCentralWidget(QLabel(_("firstcontact")))
    window.show()
    return int(app.exec())
