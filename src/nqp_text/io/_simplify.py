"""``to_simplified``: which documents are converted to simplified characters, and the record of it.

``to_simplified=True`` converts every document while it is read (the readers call
:func:`~nqp_text.preprocess.normalize.normalize_text`); ``"auto"`` reads every
document as it is and converts here only those the script check flags as written in
traditional characters (:func:`nqp_text.io.checks.is_traditional`: the documents the
``traditional`` warning names), so that a corpus mixing scripts counts 新质生产力 and
新質生產力 as one term without touching the simplified documents (their quoted
traditional names stay as written). Nothing is converted silently: a converted
document says so in its ``warnings`` (stderr, manifest, quality report) and every
document of an ``"auto"`` or ``True`` read has a ``converted_to_simplified`` column
(``True``/``False``). OpenCC's ``t2s`` maps character for character here, so the
passages' ``start``/``end`` also locate them in the text read with
``to_simplified=False``. Without OpenCC a flagged document stays as read, with a
warning that names the install.

Example:
    >>> from nqp_text.io._extract import RawRecord
    >>> [done] = simplify_records([RawRecord("a.txt", "txt", "ok", text="經濟發展" * 20)], "auto")
    >>> done.text[:4], done.meta["converted_to_simplified"]
    ('经济发展', True)
"""

from __future__ import annotations

import dataclasses

from nqp_text.errors import DependencyError
from nqp_text.io._base import ExtractedTable
from nqp_text.io._extract import RawRecord
from nqp_text.io.checks import is_traditional
from nqp_text.preprocess.normalize import OPENCC_INSTALL_HINT, to_simplified

__all__ = ["simplify_records", "script_sample", "COLUMN"]

#: The ``documents`` column that says whether a document was converted.
COLUMN = "converted_to_simplified"


def simplify_records(records: list[RawRecord], mode: bool | str) -> list[RawRecord]:
    """``records`` with the flagged ones converted under ``mode="auto"``, each marked.

    ``mode=True`` marks every read record converted (its reader converted it);
    ``False`` returns ``records`` unchanged (no column).
    """
    if mode is False:
        return records
    return [_simplified(record, mode) if record.status == "ok" else record
            for record in records]


def _simplified(record: RawRecord, mode: bool | str) -> RawRecord:
    if mode is True:
        return dataclasses.replace(record, meta={**record.meta, COLUMN: True})
    flagged, share = is_traditional(script_sample(record))
    if not flagged:
        return dataclasses.replace(record, meta={**record.meta, COLUMN: False})
    try:
        text = to_simplified(record.text)
        tables = [ExtractedTable(table.page, table.table_index,
                                 [[to_simplified(cell) if cell else cell for cell in row]
                                  for row in table.rows]) for table in record.tables]
    except DependencyError:
        return _with(record, False, f"written in traditional characters ({share:.0%} of its "
                     "Chinese characters are traditional-only forms such as 經/發/國) and NOT "
                     f"converted (to_simplified='auto'): {OPENCC_INSTALL_HINT}; simplified "
                     "terms (经济, 发展) are not counted in it")
    record = dataclasses.replace(record, text=text, tables=tables)
    return _with(record, True, f"written in traditional characters ({share:.0%} of its Chinese "
                 "characters are traditional-only forms such as 經/發/國): converted to "
                 "simplified characters (to_simplified='auto', the default; "
                 "passages, counts, labels and topics see the converted text, the input file "
                 "is unchanged; --no-to-simplified keeps it as written)")


def script_sample(record: RawRecord) -> str:
    """The text the script check judges: the body, then the table cells (a document that
    is one big table, such as a form, has almost no body)."""
    cells = [cell for table in record.tables for row in table.rows for cell in row if cell]
    return "\n".join([record.text, *cells]) if cells else record.text


def _with(record: RawRecord, converted: bool, sentence: str) -> RawRecord:
    warnings = [*(record.meta.get("warnings") or []), sentence]
    return dataclasses.replace(record, meta={**record.meta, COLUMN: converted,
                                             "warnings": warnings})
