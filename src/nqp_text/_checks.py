"""What ``nqp-text run`` warns about, stage by stage (see :mod:`nqp_text.diagnostics`).

Each function looks at what a stage had at hand (the input files, the
``documents`` table, a stage's per-document errors, the years of the dated
documents) and returns :class:`~nqp_text.diagnostics.Diagnostic` objects; the
pipeline adds them to the run's collector, which prints them on stderr, writes
them to ``manifest.json`` (``"warnings"``) and to ``report.html``. They are
computed from the run's data on every run, so a cached re-run says the same.

Example:
    >>> [d.message for d in year_gaps([2018, 2019, 2021, 2024])][0][:40]
    'no document for 2020, 2022–2023 (inside '
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from nqp_text.diagnostics import Diagnostic, document_diagnostics
from nqp_text.io.checks import corpus_diagnostics

#: Passages shorter than this (characters) are short for the paragraph-trained model.
SHORT_UNIT = 60


def no_inputs(inputs: Sequence[Any]) -> list[Diagnostic]:
    """An error: nothing to read in ``inputs`` (an empty folder)."""
    shown = ", ".join(str(path) for path in inputs)
    return [Diagnostic("no_inputs", "input", f"no input files found in {shown}: nothing was "
                       "read, so no table, topic model or report has any content",
                       severity="error")]


def ingest_checks(documents: Any, options: Any) -> list[Diagnostic]:
    """Bad files, document warnings and the corpus-level field and year checks."""
    from nqp_text.io.metadata import Metadata

    meta = Metadata.load(options.metadata) if options.metadata else None
    if meta is not None:
        meta.check_unambiguous(documents)
    columns = meta.columns if meta is not None else ()
    return document_diagnostics(documents) + corpus_diagnostics(
        documents, text_field=options.text_field, year_field=options.year_field,
        title_field=options.title_field, metadata_columns=columns)


def stage_errors(stages: Mapping[str, Any], documents: Any) -> list[Diagnostic]:
    """One warning per per-document stage whose work failed for some documents (naming them)."""
    paths = dict(zip(documents["doc_id"].astype(str), documents["path"].astype(str),
                     strict=True))
    found = []
    for name in ("segment", "count", "classify"):
        record = stages.get(name)
        errors = record.extra.get("errors") if record is not None else None
        if not errors:
            continue
        first = next(iter(errors.values()))
        found.append(Diagnostic(
            "stage_failed", name, f"{name} failed for {len(errors)} document(s), which are "
            f"left out of the tables after it (first error: {first})",
            tuple(paths.get(doc_id, doc_id) for doc_id in errors)))
    return found


def short_units(unit: str, size: int | None, model: str) -> list[Diagnostic]:
    """A warning: the shipped (paragraph-trained) model classifies sentences or short windows."""
    short = unit == "sentence" or (unit == "window" and (size or 0) < SHORT_UNIT)
    if not short or model == "dictionary" or str(model).lower().endswith((".yaml", ".yml")):
        return []
    return [Diagnostic(
        "short_units", "classify",
        f"--unit {unit}{'' if size is None else f' --size {size}'}: the classification model "
        "was trained on paragraphs; short units get low probabilities and often no label "
        "(发展人工智能。 p=0.11), so passage shares are too low; classify paragraphs, or use "
        "--model dictionary for sentences")]


def short_passages(lengths: Sequence[int], unit: str, model: str) -> list[Diagnostic]:
    """A warning: paragraphs (``--unit paragraph``) mostly shorter than ``SHORT_UNIT``
    characters for the paragraph-trained model (MD&A chapters of annual reports: headings,
    table labels, ``√适用□不适用``), as ``classify_passages`` warns in Python.

    Example:
        >>> [d.kind for d in short_passages([10, 20, 300], "paragraph", "default")]
        ['short_units']
        >>> short_passages([10, 20, 300], "paragraph", "dictionary")
        []
    """
    if unit != "paragraph" or not lengths or model == "dictionary" \
            or str(model).lower().endswith((".yaml", ".yml")):
        return []
    median = sorted(lengths)[len(lengths) // 2]
    if median >= SHORT_UNIT:
        return []
    return [Diagnostic(
        "short_units", "classify",
        f"the passages are short (median {median} characters): the classification model "
        "was trained on paragraphs and labels short units less reliably (often not at all), "
        "so category shares (share_<category> in a panel) are less reliable; look at the "
        "short passages in quality.csv, or use --model dictionary")]


def year_gaps(years: Iterable[Any]) -> list[Diagnostic]:
    """A warning naming the years with no document inside the range of dated documents."""
    present = sorted({int(year) for year in years})
    if len(present) < 2:
        return []
    missing = sorted(set(range(present[0], present[-1] + 1)) - set(present))
    if not missing:
        return []
    shown = ", ".join(_ranges(missing))
    return [Diagnostic(
        "missing_years", "trends",
        f"no document for {shown} (inside {present[0]}–{present[-1]}): by-year tables have no "
        "row for these years, charts leave gaps there, and periods that contain them (keyness) "
        "hold fewer documents")]


def _ranges(years: list[int]) -> list[str]:
    """``[1961, 1962, 1963, 1965]`` -> ``["1961–1963", "1965"]``."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]


def no_dated_text(n_documents: int) -> list[Diagnostic]:
    """A warning: documents with text exist but none has a year, so trends tables are empty."""
    if not n_documents:
        return []
    return [Diagnostic("empty_table", "trends", "trends_lexicon and category_trends are empty "
                       "(header only): no document with text has a year")]


def skipped_keyness(periods: Any) -> list[Diagnostic]:
    """A warning: ``keyness_last_periods`` is not written (no documents in one of the periods)."""
    if periods is None:
        reason = "the dated documents do not span two 5-year periods"
    else:
        (t0, t1), (r0, r1) = periods
        reason = f"no document with text in {t0}–{t1} or in {r0}–{r1}"
    return [Diagnostic("skipped_output", "report_tables",
                       f"keyness_last_periods was not written: {reason}; the report shows no "
                       "keyness (use nqp-text keyness with periods of your choice)")]
