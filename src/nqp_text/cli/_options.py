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
    from nqp_text._limits import PDF_ENGINE_NAMES
    from nqp_text.options import ReadOptions, default

    unit, max_passage = default(ReadOptions, "unit"), default(ReadOptions, "max_passage")
    timeout, pdf_engine = default(ReadOptions, "timeout"), default(ReadOptions, "pdf_engine")
    ocr = default(ReadOptions, "ocr")
    simplified = default(ReadOptions, "to_simplified")

    group.add_argument("--text-field", metavar="F[,F...]",
                       help="JSONL/CSV text field; several, comma-separated: each record uses "
                            "the first it has (default text, else content, else full_text)")
    group.add_argument("--year-field", metavar="F", help="JSONL/CSV year field (default year)")
    group.add_argument("--title-field", metavar="F", help="JSONL/CSV title field (default title)")
    group.add_argument("--id-field", metavar="F", help="JSONL/CSV id field (default id)")
    group.add_argument("--unit", choices=("paragraph", "sentence", "window"),
                       default=unit, help=f"passage unit (default {unit})")
    group.add_argument("--size", type=int, metavar="N",
                       help="characters per passage with --unit window")
    group.add_argument("--max-passage", type=int, default=max_passage, metavar="N",
                       help=f"longest paragraph or sentence passage in characters; longer "
                            f"ones are cut at sentence ends (default {max_passage}; "
                            f"0 = no limit)")
    group.add_argument("--keep-boilerplate", action="store_true",
                       help="keep web-page furniture, source/signature lines and lines "
                            "recurring in half the records of a file or the files of a folder "
                            "(removed by default)")
    group.add_argument("--timeout", type=float, default=timeout, metavar="S",
                       help=f"seconds one file may take before it is stopped and marked "
                            f"failed (default {timeout:g}; 0 = no limit)")
    group.add_argument("--memory-limit", type=float, default=None, metavar="MB",
                       help="address space each reader process may use, in MiB; a file that "
                            "needs more is marked failed (default: half the machine's RAM, at "
                            "most 4096; 0 = no limit)")
    group.add_argument("--follow-links", action="store_true",
                       help="read symbolic links whose target lies outside the input paths "
                            "(by default they are failed rows and never opened)")
    group.add_argument("--to-simplified", dest="to_simplified", action="store_const",
                       const="all", default=_mode_name(simplified),
                       help="convert every document to simplified characters (needs "
                            f"OpenCC; default: {_mode_name(simplified)}, where auto converts "
                            "only the documents written in traditional characters, each one "
                            "named on stderr, in the manifest and the report)")
    group.add_argument("--no-to-simplified", dest="to_simplified", action="store_const",
                       const="never",
                       help="convert no document: read traditional characters as written")
    group.add_argument("--sections", metavar="KINDS", type=_sections,
                       help="keep only these chapters of each document, e.g. 'mda' (an annual "
                            "report's 管理层讨论与分析 / 经营情况讨论与分析 / 董事会报告); comma-"
                            "separated; documents without them get status no_section")
    group.add_argument("--pdf-engine", choices=PDF_ENGINE_NAMES, default=pdf_engine,
                       help=f"PDF engine (default {pdf_engine}: PDFium's characters and "
                            "ruling; pdfplumber: the reference, the same output about 3x "
                            "slower)")
    group.add_argument("--ocr", choices=("never", "auto", "always"), default=ocr,
                       help="read PDF pages by OCR (needs the ocr extra): auto = pages with "
                            "images and no text or mostly unreadable glyphs; always = every "
                            f"page (default {ocr})")


def reading_options(args: Any) -> Any:
    """The parsed options of :func:`add_reading_options` as a :class:`~nqp_text.ReadOptions`.

    ``--timeout 0`` and ``--max-passage 0`` mean no limit (``None``); ``--memory-limit``
    as :func:`memory_limit`. :class:`~nqp_text.errors.OptionError` for a bad value.
    """
    from nqp_text.io.options import to_simplified_mode
    from nqp_text.options import ReadOptions

    return ReadOptions(
        unit=args.unit, size=args.size, text_field=args.text_field,
        year_field=args.year_field, title_field=args.title_field, id_field=args.id_field,
        timeout=args.timeout or None, memory_limit=memory_limit(args.memory_limit),
        follow_links=args.follow_links, to_simplified=to_simplified_mode(args.to_simplified),
        pdf_engine=args.pdf_engine, keep_boilerplate=args.keep_boilerplate,
        max_passage=args.max_passage or None, sections=args.sections, ocr=args.ocr)


def _mode_name(value: bool | str) -> str:
    """The command-line name of a ``to_simplified`` value (``True`` → ``all``)."""
    from nqp_text.io.options import TO_SIMPLIFIED_MODES

    return next(name for name, mode in TO_SIMPLIFIED_MODES.items()
                if mode is value or mode == value and type(mode) is type(value))


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
