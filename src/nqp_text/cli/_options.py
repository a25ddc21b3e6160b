"""Command-line options shared by subcommands, declared once.

Example:
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_reading_options(parser)
    >>> parser.parse_args(["--unit", "sentence"]).unit
    'sentence'
"""

from __future__ import annotations

from typing import Any

from nqp_text.errors import OptionError


def add_reading_options(group: Any) -> None:
    """Add the options of :func:`nqp_text.read_corpus` (fields, passages, limits).

    ``group`` is an ``argparse`` parser or argument group; ``nqp-text ingest`` and
    ``nqp-text run`` read their inputs with the same options.
    """
    from nqp_text._limits import (
        DEFAULT_MAX_PASSAGE,
        DEFAULT_PDF_ENGINE,
        DEFAULT_TIMEOUT,
        PDF_ENGINE_NAMES,
    )

    group.add_argument("--text-field", metavar="F[,F...]",
                       help="JSONL/CSV text field; several, comma-separated: each record uses "
                            "the first it has (default text, else content, else full_text)")
    group.add_argument("--year-field", metavar="F", help="JSONL/CSV year field (default year)")
    group.add_argument("--title-field", metavar="F", help="JSONL/CSV title field (default title)")
    group.add_argument("--id-field", metavar="F", help="JSONL/CSV id field (default id)")
    group.add_argument("--unit", choices=("paragraph", "sentence", "window"),
                       default="paragraph", help="passage unit (default paragraph)")
    group.add_argument("--size", type=int, metavar="N",
                       help="characters per passage with --unit window")
    group.add_argument("--max-passage", type=int, default=DEFAULT_MAX_PASSAGE, metavar="N",
                       help=f"longest paragraph or sentence passage in characters; longer "
                            f"ones are cut at sentence ends (default {DEFAULT_MAX_PASSAGE}; "
                            f"0 = no limit)")
    group.add_argument("--keep-boilerplate", action="store_true",
                       help="keep web-page furniture, source/signature lines and lines "
                            "recurring in half the records of a file (removed by default)")
    group.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                       help=f"seconds one file may take before it is stopped and marked "
                            f"failed (default {DEFAULT_TIMEOUT:g}; 0 = no limit)")
    group.add_argument("--memory-limit", type=float, default=None, metavar="MB",
                       help="address space each reader process may use, in MiB; a file that "
                            "needs more is marked failed (default: half the machine's RAM, at "
                            "most 4096; 0 = no limit)")
    group.add_argument("--follow-links", action="store_true",
                       help="read symbolic links whose target lies outside the input paths "
                            "(by default they are failed rows and never opened)")
    group.add_argument("--to-simplified", action="store_true",
                       help="convert traditional to simplified characters (needs OpenCC)")
    group.add_argument("--sections", metavar="KINDS", type=_sections,
                       help="keep only these chapters of each document, e.g. 'mda' (an annual "
                            "report's 管理层讨论与分析 / 经营情况讨论与分析 / 董事会报告); comma-"
                            "separated; documents without them get status no_section")
    group.add_argument("--pdf-engine", choices=PDF_ENGINE_NAMES, default=DEFAULT_PDF_ENGINE,
                       help=f"PDF engine (default {DEFAULT_PDF_ENGINE}: PDFium's characters and "
                            "ruling; pdfplumber: the reference, the same output about 3x "
                            "slower)")
    group.add_argument("--ocr", choices=("never", "auto", "always"), default="never",
                       help="read PDF pages by OCR (needs the ocr extra): auto = pages with "
                            "images and no text or mostly unreadable glyphs; always = every "
                            "page (default never)")


def memory_limit(megabytes: float | None) -> int | str | None:
    """``--memory-limit MB`` → ``memory_limit`` of :func:`nqp_text.read_corpus`.

    Not given → ``"auto"``; 0 → ``None`` (no cap); else bytes. ``ValueError``
    for a negative number.

    Example:
        >>> memory_limit(None), memory_limit(0), memory_limit(512)
        ('auto', None, 536870912)
    """
    if megabytes is None:
        return "auto"
    if megabytes < 0:
        raise OptionError(f"--memory-limit must be >= 0 MB (0 = no limit); got {megabytes:g}")
    return int(megabytes * 2**20) or None


def _sections(value: str) -> tuple[str, ...]:
    """``--sections mda,financial`` → ``("mda", "financial")``, checked against the known kinds."""
    import argparse

    from nqp_text.preprocess.sections import check_sections

    try:
        kinds = check_sections(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
    assert kinds is not None
    return kinds
