"""The rule for an exported PDF's password, shared by the CLI, the GUI and the writer."""

from __future__ import annotations

from firstcontact.app.errors import Invalid
from firstcontact.i18n import _

#: The shortest password an exported PDF may have (the file travels; the password goes by
#: another route).
MIN_PDF_PASSWORD = 8


def check_pdf_password(password: str) -> None:
    if len(password) < MIN_PDF_PASSWORD:
        raise Invalid(_("the PDF password needs at least {n} characters").format(
            n=MIN_PDF_PASSWORD))
