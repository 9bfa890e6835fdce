"""Reading documents out of files: txt, md, html, docx, pdf, jsonl, json and csv.

This package only extracts; storing (de-duplication, transactions, progress) is the
caller's. Entry points: collect_files to expand the user's selection, extract_file per file.
"""

from annotator.importing.decoding import decode_text
from annotator.importing.document import DEFAULT_SIZE_LIMIT, ExtractedDocument, ImportFailure
from annotator.importing.files import (
    SUPPORTED_SUFFIXES,
    collect_file_names,
    collect_files,
    extract_collected,
    extract_file,
)

__all__ = [
    "DEFAULT_SIZE_LIMIT",
    "SUPPORTED_SUFFIXES",
    "ExtractedDocument",
    "ImportFailure",
    "collect_file_names",
    "collect_files",
    "decode_text",
    "extract_collected",
    "extract_file",
]
