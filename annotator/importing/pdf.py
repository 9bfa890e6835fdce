"""PDF files, read with pypdf: the text layer, page by page.

Pages are joined with "\\n\\n"; trailing whitespace on every line is dropped, and so are
control characters other than tab and newline (broken font encodings produce them). A PDF
that opens with an empty password is read; any other encrypted PDF is refused.
"""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader

from annotator.importing.document import ExtractedDocument, ImportFailure
from annotator.importing.lines import normalize_line_endings

_TRAILING_SPACE = re.compile(r"[ \t\f\v]+$", re.MULTILINE)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def extract_pdf(stem: str, data: bytes) -> ExtractedDocument:
    """A .pdf file with a text layer; the title is the metadata /Title, else the stem."""
    reader = _open(data)
    try:
        pages = [page.extract_text() or "" for page in reader.pages]
        metadata = reader.metadata
        title = (metadata.title if metadata is not None else None) or ""
    except Exception as exc:
        # pypdf reports damaged content streams with errors of many types
        raise ImportFailure(f"is a damaged PDF ({type(exc).__name__}: {exc})") from exc
    text, line_endings = normalize_line_endings("\n\n".join(pages))
    text = _TRAILING_SPACE.sub("", _CONTROLS.sub("", text)).strip("\n")
    if not text.strip():
        raise ImportFailure("has no text layer (a scanned image?) – run OCR on it first")
    meta: dict[str, Any] = {"encoding": "pdf", "line_endings": line_endings, "pages": len(pages)}
    title = str(title).strip()
    return ExtractedDocument(title=title or stem, text=text, format="pdf", meta=meta)


def _open(data: bytes) -> PdfReader:
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise ImportFailure("is not a PDF file (it does not start with %PDF-)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ImportFailure("is encrypted (password protected) – save an unprotected copy")
        if len(reader.pages) == 0:  # reads the page tree, where damage shows first
            raise ImportFailure("has no pages")
    except ImportFailure:
        raise
    except Exception as exc:
        if _needs_crypto_backend(exc):
            raise ImportFailure(
                "is encrypted with a method that cannot be read here – save an unprotected copy"
            ) from exc
        raise ImportFailure(f"is a damaged PDF ({type(exc).__name__}: {exc})") from exc
    return reader


def _needs_crypto_backend(exc: Exception) -> bool:
    # pypdf decrypts RC4 itself but needs the cryptography package for AES
    return "cryptography" in str(exc).lower() or "decrypt" in str(exc).lower()
