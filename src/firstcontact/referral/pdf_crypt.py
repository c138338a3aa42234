"""AES-256 (revision 6) encryption of a finished PDF, in memory, with neutral metadata.

There is deliberately no way to choose another algorithm: RC4 and AES-128 are refused by
construction."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from firstcontact.i18n import _

NEUTRAL_DATE = "D:20000101000000Z"
METADATA = {
    "/Title": "Referral pack",
    "/Author": "",
    "/Subject": "",
    "/Keywords": "",
    "/Creator": "firstcontact",
    "/Producer": "firstcontact",
    "/CreationDate": NEUTRAL_DATE,
    "/ModDate": NEUTRAL_DATE,
}


def encrypt_pdf(data: bytes, password: str) -> bytes:
    if not password:
        raise ValueError(_("a password is needed to encrypt the pack"))
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    # drop any XMP stream and replace the info dictionary with fixed neutral values
    if "/Metadata" in writer._root_object:
        del writer._root_object[NameObject("/Metadata")]
    writer.add_metadata({k: TextStringObject(v) for k, v in METADATA.items()})
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
