"""Read fragments as people keep them: the ``**Field**: value`` text format, CSV and XLSX exports, Word documents.

Readers produce :class:`RawFragment` objects: every field as written (name, raw value, line), matched
to a canonical field through :mod:`harvestgraph.fields`. Nothing is normalised here and nothing is
dropped: unknown fields are kept with ``key=None`` and reported. One module a concern: the record
(:mod:`.record`), decoding bytes (:mod:`.decoding`), the text format (:mod:`.text`), tables (:mod:`.tables`),
files and folders (:mod:`.files`).
"""

from __future__ import annotations

from .decoding import decode
from .files import (CSV_SUFFIXES, DOCX_SUFFIXES, SUPPORTED, TEXT_SUFFIXES, XLSX_SUFFIXES, expand_paths, is_readme,
                    read_file)
from .record import RawField, RawFragment
from .tables import HEADER_SEARCH_ROWS, read_csv, read_xlsx
from .text import read_text
from .word import read_docx

__all__ = ["CSV_SUFFIXES", "DOCX_SUFFIXES", "HEADER_SEARCH_ROWS", "SUPPORTED", "TEXT_SUFFIXES", "XLSX_SUFFIXES",
           "RawField", "RawFragment", "decode", "expand_paths", "is_readme", "read_csv", "read_docx", "read_file",
           "read_text", "read_xlsx"]
