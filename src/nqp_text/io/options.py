"""The reading options of :func:`nqp_text.read_corpus` as one frozen dataclass.

Public as :class:`nqp_text.ReadOptions` (and in :mod:`nqp_text.options` with the
segment and topic options); kept in ``io`` so that the readers can take it
without importing the layers above them. Imports no pandas (the checks are
imported when an object is made).

Example:
    >>> ReadOptions(ocr="auto").ocr
    'auto'
"""

from __future__ import annotations

import dataclasses

from nqp_text._limits import DEFAULT_MAX_PASSAGE, DEFAULT_PDF_ENGINE, DEFAULT_TIMEOUT
from nqp_text.errors import OptionError

__all__ = ["ReadOptions", "TO_SIMPLIFIED_MODES", "to_simplified_mode"]

#: The values of ``to_simplified`` and their command-line names (``all``: ``--to-simplified``,
#: ``never``: ``--no-to-simplified``, ``auto``: neither flag).
TO_SIMPLIFIED_MODES = {"all": True, "auto": "auto", "never": False}


@dataclasses.dataclass(frozen=True)
class ReadOptions:
    """How input files become documents and passages (see :func:`nqp_text.read_corpus`).

    ``unit``/``size``/``max_passage`` choose the passages; the ``*_field`` options
    name JSONL/CSV fields (``text_field`` may list several); ``timeout`` (seconds,
    ``None``: no limit) and ``memory_limit`` (bytes, ``"auto"`` or ``None``) bound
    each file's reader; ``follow_links`` reads symbolic links out of the inputs;
    ``to_simplified`` (``True``: convert every document to simplified characters,
    ``False``: none, ``"auto"``: only the documents the script check flags as written
    in traditional characters, see :data:`TO_SIMPLIFIED_MODES`), ``pdf_engine``,
    ``keep_boilerplate``, ``sections`` (chapter kinds to keep) and ``ocr``
    (``never``, ``auto``, ``always``) as in :func:`~nqp_text.read_corpus`.

    Example:
        >>> ReadOptions(unit="window", size=200).size
        200
    """

    unit: str = "paragraph"
    size: int | None = None
    text_field: str | list[str] | tuple[str, ...] | None = None
    year_field: str | None = None
    title_field: str | None = None
    id_field: str | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    memory_limit: int | str | None = "auto"
    follow_links: bool = False
    to_simplified: bool | str = "auto"
    pdf_engine: str = DEFAULT_PDF_ENGINE
    keep_boilerplate: bool = False
    max_passage: int | None = DEFAULT_MAX_PASSAGE
    sections: tuple[str, ...] | list[str] | str | None = None
    ocr: str = "never"

    def __post_init__(self) -> None:
        from nqp_text.io.pdf._ocr import check_ocr_mode
        from nqp_text.io.pdf.reader import check_engine_name
        from nqp_text.io.reader import resolve_memory_limit
        from nqp_text.preprocess.passages import check_max_chars, check_unit
        from nqp_text.preprocess.sections import check_sections

        check_unit(self.unit, self.size)
        check_max_chars(self.max_passage)
        check_engine_name(self.pdf_engine)
        check_sections(self.sections)
        check_ocr_mode(self.ocr)
        object.__setattr__(self, "to_simplified", to_simplified_mode(self.to_simplified))
        if self.timeout is not None and (isinstance(self.timeout, bool)
                                         or not isinstance(self.timeout, int | float)
                                         or self.timeout <= 0):
            raise OptionError(f"timeout must be > 0 seconds or None; got {self.timeout!r}")
        resolve_memory_limit(self.memory_limit)


def to_simplified_mode(value: bool | str) -> bool | str:
    """``value`` checked as a ``to_simplified`` setting: ``True``, ``False`` or ``"auto"``;
    the command-line names ``"all"``/``"never"`` become ``True``/``False``.

    Example:
        >>> to_simplified_mode("all"), to_simplified_mode("auto"), to_simplified_mode(False)
        (True, 'auto', False)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in TO_SIMPLIFIED_MODES:
        return TO_SIMPLIFIED_MODES[value]
    raise OptionError(f"to_simplified must be True, False or 'auto' (on the command line: "
                      f"{', '.join(TO_SIMPLIFIED_MODES)}); got {value!r}")
