"""Keyness (which words distinguish two sets of documents) and emerging terms.

For each term, with ``a``/``b`` its counts in the target/reference and
``N1``/``N2`` their token totals (a 2x2 contingency table):

* ``g2``: log-likelihood, ``2 * sum(O * ln(O / E))`` over all four cells of
  the table (Dunning 1993). UCREL's online calculator sums only the two
  term cells; its value is slightly lower (10.465 instead of 10.485 for 30 vs
  10 in 10,000 tokens each);
* ``chi2``: Pearson's chi-square on the same table, without continuity correction;
* ``p_value``: of ``g2`` against chi-square with one degree of freedom;
* ``log_ratio``: ``log2((a / N1) / (b / N2))`` with a zero count replaced by 0.5
  (Hardie 2014): +1 means twice as frequent in the target.

``target``/``reference`` are year ranges (``"2021-2025"``, ``(2021, 2025)``, one
year, a list of years) or boolean masks over ``corpus.documents`` rows (a list,
array or Series indexed like it, or by ``doc_id``); ``reference=None`` is every
other document.

Example:
    >>> import nqp_text
    >>> nqp_text.keyness(corpus, "2021-2025", "2016-2020").head()  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from nqp_text.analysis._inputs import TokensLike
from nqp_text.analysis.dtm import document_term_matrix
from nqp_text.analysis.frequencies import term_frequencies
from nqp_text.corpus import Corpus
from nqp_text.errors import InputError, OptionError

KEYNESS_COLUMNS = ["term", "target_count", "reference_count", "target_per_10k",
                   "reference_per_10k", "g2", "chi2", "p_value", "log_ratio"]
_RANGE = re.compile(r"^\s*(\d{4})\s*(?:[-–~:至到]\s*(\d{4})\s*)?$")

Selection = str | int | tuple[int, int] | Sequence[Any] | np.ndarray | pd.Series


def parse_years(spec: str | int | tuple[int, int] | range) -> list[int] | tuple[int, int]:
    """Inclusive year range: ``"2021-2025"`` or ``(2021, 2025)`` -> ``(2021, 2025)``.

    One year ``2024`` gives ``(2024, 2024)``; a ``range`` gives its list of years.

    Example:
        >>> parse_years("2016-2020")
        (2016, 2020)
    """
    if isinstance(spec, range):
        return list(spec)
    if isinstance(spec, int | np.integer) and not isinstance(spec, bool):
        return (int(spec), int(spec))
    if isinstance(spec, tuple) and len(spec) == 2 and all(isinstance(x, int) for x in spec):
        low, high = spec
    elif isinstance(spec, str) and (match := _RANGE.match(spec)):
        low = int(match.group(1))
        high = int(match.group(2) or low)
    else:
        raise OptionError(f"not a year range: {spec!r} (use '2021-2025', 2024 or (2021, 2025))")
    if low > high:
        raise OptionError(f"year range {spec!r} ends before it starts")
    return (low, high)


def select_documents(corpus: Corpus, selection: Selection, by: str = "year") -> pd.Index:
    """``doc_id`` of the documents a year range / list of years / boolean mask selects."""
    documents = corpus.documents
    doc_ids = documents["doc_id"].astype(str)
    if isinstance(selection, pd.Series) and pd.api.types.is_bool_dtype(selection.dtype):
        mask = selection.astype("boolean").fillna(False)
        if not mask.index.equals(documents.index):
            mask = mask.reindex(doc_ids.to_numpy()).fillna(False).set_axis(documents.index)
        return pd.Index(doc_ids[mask.to_numpy(dtype=bool)])
    if isinstance(selection, np.ndarray | list | tuple) and len(selection) == len(documents) \
            and all(isinstance(x, bool | np.bool_) for x in selection):
        return pd.Index(doc_ids[np.asarray(selection, dtype=bool)])
    values = pd.to_numeric(documents[by], errors="coerce")
    if isinstance(selection, list | range) and not isinstance(selection, str):
        chosen = values.isin([int(year) for year in selection])
    else:
        years = parse_years(selection)
        chosen = values.between(years[0], years[1]) if isinstance(years, tuple) \
            else values.isin(years)
    return pd.Index(doc_ids[chosen.fillna(False).to_numpy(dtype=bool)])


def _value_range(corpus: Corpus, by: str) -> str:
    """``"1954–2025"`` for the ``by`` values of the corpus's documents (``"none"``)."""
    values = pd.to_numeric(corpus.documents[by], errors="coerce").dropna() \
        if by in corpus.documents.columns else pd.Series(dtype=float)
    return f"{int(values.min())}–{int(values.max())}" if len(values) else "none"


def keyness_scores(target_counts: np.ndarray, reference_counts: np.ndarray,
                   target_total: float, reference_total: float) -> pd.DataFrame:
    """G², chi², p-value and log ratio for arrays of counts (see the module docstring).

    Example:
        >>> keyness_scores(np.array([30]), np.array([10]), 10_000, 10_000).round(3)
               g2   chi2  p_value  log_ratio
        0  10.485  10.02    0.001      1.585
    """
    from scipy.stats import chi2 as chi2_distribution

    a = np.asarray(target_counts, dtype=float)
    b = np.asarray(reference_counts, dtype=float)
    n1, n2 = float(target_total), float(reference_total)
    total = n1 + n2
    observed = [a, b, n1 - a, n2 - b]
    expected = [n1 * (a + b) / total, n2 * (a + b) / total,
                n1 * (total - a - b) / total, n2 * (total - a - b) / total]
    g2 = np.zeros_like(a)
    chi2 = np.zeros_like(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(observed, expected, strict=True):
            g2 += np.where(o > 0, o * np.log(o / e), 0.0)
            chi2 += np.where(e > 0, (o - e) ** 2 / e, 0.0)
    g2 *= 2
    log_ratio = np.log2((np.where(a > 0, a, 0.5) / n1) / (np.where(b > 0, b, 0.5) / n2))
    return pd.DataFrame({"g2": g2, "chi2": chi2, "p_value": chi2_distribution.sf(g2, df=1),
                         "log_ratio": log_ratio})


def keyness(corpus: Corpus, target: Selection, reference: Selection | None = None, *,
            by: str = "year", min_count: int = 5, tokens: TokensLike = None,
            segmenter: Any = None, workers: int = 1, keep_places: bool = False) -> pd.DataFrame:
    """Terms (content tokens) ranked by how strongly they distinguish target from reference.

    Columns: ``term, target_count, reference_count, target_per_10k,
    reference_per_10k, g2, chi2, p_value, log_ratio``; terms with fewer than
    ``min_count`` occurrences in both sets together are dropped; sorted by
    ``g2`` descending (ties by term). Positive ``log_ratio``: key in the target.
    Place names (:mod:`nqp_text.analysis.places`) are left out of the table
    unless ``keep_places=True``; they still count in the token totals ``N1``,
    ``N2`` (so the rates of the other terms do not change); the number left out
    is ``table.attrs["place_terms_removed"]``. The default reference, every other
    document, includes documents without a ``by`` value; a ``group_missing``
    warning says how many (pass ``reference`` to compare years only).

    Example:
        >>> keyness(corpus, target="2021-2025", reference="2016-2020")  # doctest: +SKIP
    """
    target_ids = select_documents(corpus, target, by)
    reference_ids = (select_documents(corpus, reference, by) if reference is not None
                     else pd.Index(sorted(set(corpus.documents["doc_id"].astype(str))
                                          - set(target_ids))))
    if reference is None:
        _warn_undated_reference(corpus, reference_ids, by)
    overlap = target_ids.intersection(reference_ids)
    if len(overlap):
        raise OptionError(f"target and reference share {len(overlap)} document(s), "
                          f"e.g. {overlap[0]}")
    dtm = document_term_matrix(corpus, unit="document", tokens=tokens, segmenter=segmenter,
                               workers=workers)
    doc_ids = dtm.rows["doc_id"].astype(str)
    side = np.where(doc_ids.isin(target_ids), "target",
                    np.where(doc_ids.isin(reference_ids), "reference", None))
    for name, ids in (("target", target_ids), ("reference", reference_ids)):
        if not (side == name).any():
            raise OptionError(f"the {name} selection contains no document with text "
                              f"({len(ids)} documents selected; the documents' {by} "
                              f"values run {_value_range(corpus, by)})")
    dtm.rows = dtm.rows.assign(side=side)
    sides = dtm.group_by("side", warn_missing=False)  # documents on neither side
    position = {value: i for i, value in enumerate(sides.rows["side"])}
    matrix = sides.matrix.toarray()
    a, b = matrix[position["target"]], matrix[position["reference"]]
    n1, n2 = a.sum(), b.sum()
    scores = keyness_scores(a, b, n1, n2)
    table = pd.DataFrame({"term": sides.vocabulary, "target_count": a.astype("int64"),
                          "reference_count": b.astype("int64"),
                          "target_per_10k": a / n1 * 10_000, "reference_per_10k": b / n2 * 10_000})
    table = pd.concat([table, scores], axis=1)
    table = table[(table["target_count"] + table["reference_count"]) >= min_count]
    places: set[str] = set()
    if not keep_places:
        from nqp_text.analysis.places import place_terms

        places = place_terms(table["term"])
        table = table[~table["term"].isin(places)]
    table = table.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    table = table.reset_index(drop=True)[KEYNESS_COLUMNS]
    table.attrs.update(target_documents=len(target_ids), reference_documents=len(reference_ids),
                       target_tokens=int(n1), reference_tokens=int(n2),
                       place_terms_removed=len(places))
    return table


def emerging_terms(corpus: Corpus, terms: str | Sequence[str] | None = None, *,
                   early: Selection | None = None, late: Selection | None = None,
                   period: int = 5, by: str = "year", min_count: int = 3,
                   tokens: TokensLike = None, segmenter: Any = None, workers: int = 1,
                   framework: Any = None, years: str | None = None) -> pd.DataFrame:
    """First appearance and growth of terms between an early and a late period.

    ``terms`` as in :func:`~nqp_text.analysis.frequencies.term_frequencies`
    (a list: exact counts; ``None``: the lexicon; a category id). Without
    ``late``/``early``, the periods are ``period`` years each, counted as
    ``years`` says:

    * ``"calendar"`` (the default when the ``by`` values are years): ``late`` is
      the ``period`` calendar years ending with the last year that has documents
      (2021-2025) and ``early`` the ``period`` years before them (2016-2020), as
      "the last five years" is meant; a year without documents inside a period
      is warned about (the rates are over the years that have documents);
    * ``"with_documents"``: the last ``period`` years *that have documents* and
      the ``period`` such years before them: with gaps a period spans more
      calendar years (the only choice when ``by`` is not a year).

    Columns: ``term, first_year, last_year, total_count, early_count,
    late_count, early_per_10k, late_per_10k, growth`` (log2 ratio of the per-10k
    rates, zeros as 0.5 counts), ``new`` (absent in the early period), and
    ``early_period``/``late_period``: the periods compared, the same on every
    row (``"2016-2020"``, with ``"(no document in 2018)"`` when a calendar year
    is missing; the years with documents for ``"with_documents"``). Terms with
    fewer than ``min_count`` occurrences in total are dropped; sorted by
    ``growth`` descending. ``attrs``: ``early``/``late`` (the years with
    documents used) and ``years``.

    Example:
        >>> emerging_terms(corpus, ["新质生产力", "数字经济"])  # doctest: +SKIP
    """
    table = term_frequencies(corpus, terms, by=by, normalize="per_10k_tokens", tokens=tokens,
                             segmenter=segmenter, workers=workers, framework=framework)
    groups = sorted(table["group"].unique())
    mode = _period_mode(years, groups, by)
    if late is not None:
        late_groups, late_span = _groups_in(corpus, late, by), None
    elif mode == "calendar":
        late_span = (int(max(groups)) - period + 1, int(max(groups))) if groups else None
        late_groups = _in_span(groups, late_span)
    else:
        late_groups, late_span = groups[-period:], None
    if early is not None:
        early_groups, early_span = _groups_in(corpus, early, by), None
    elif mode == "calendar":
        first_late = int(min(late_groups)) if late_groups else None
        early_span = (first_late - period, first_late - 1) if first_late is not None else None
        early_groups = _in_span(groups, early_span)
    else:
        early_groups = [g for g in groups if late_groups and g < min(late_groups)][-period:]
        early_span = None
    _warn_gaps(("early", early_span, early_groups), ("late", late_span, late_groups), by=by)
    positive = table[table["count"] > 0]
    first = positive.groupby("term")["group"].min()
    last = positive.groupby("term")["group"].max()
    totals = table.groupby("term", sort=False)["count"].sum()

    def period_sums(chosen: list[Any]) -> tuple[pd.Series, float]:
        part = table[table["group"].isin(chosen)]
        tokens_total = float(part.drop_duplicates("group")["n_tokens"].sum())
        return part.groupby("term", sort=False)["count"].sum().reindex(totals.index,
                                                                       fill_value=0), tokens_total

    early_counts, early_tokens = period_sums(early_groups)
    late_counts, late_tokens = period_sums(late_groups)
    if early_tokens == 0 or late_tokens == 0:
        name, chosen, span = (("early", early_groups, early_span) if early_tokens == 0
                              else ("late", late_groups, late_span))
        shown = ", ".join(str(_plain(g)) for g in chosen) or "none"
        name += f" period {span[0]}-{span[1]}" if span is not None else " period"
        raise InputError(
            f"the {name} has no tokens ({by} values in it: {shown}; the documents "
            f"have {', '.join(str(_plain(g)) for g in groups) or 'no ' + by}): pass early= "
            f"and late= (year ranges such as (2016, 2020)) or a smaller period= (now {period})")
    growth = np.log2((np.where(late_counts > 0, late_counts, 0.5) / late_tokens)
                     / (np.where(early_counts > 0, early_counts, 0.5) / early_tokens))
    result = pd.DataFrame({
        "term": totals.index, "first_year": first.reindex(totals.index).to_numpy(),
        "last_year": last.reindex(totals.index).to_numpy(), "total_count": totals.to_numpy(),
        "early_count": early_counts.to_numpy(), "late_count": late_counts.to_numpy(),
        "early_per_10k": early_counts.to_numpy() / early_tokens * 10_000,
        "late_per_10k": late_counts.to_numpy() / late_tokens * 10_000,
        "growth": growth, "new": (early_counts.to_numpy() == 0) & (late_counts.to_numpy() > 0),
    })
    if all(isinstance(g, int | np.integer) for g in groups):
        result["first_year"] = result["first_year"].astype("Int64")
        result["last_year"] = result["last_year"].astype("Int64")
    result["early_period"] = _period_name(early_span, early_groups)
    result["late_period"] = _period_name(late_span, late_groups)
    result = result[result["total_count"] >= min_count]
    result = result.sort_values(["growth", "term"], ascending=[False, True], kind="stable")
    result.attrs.update(early=[_plain(g) for g in early_groups],
                        late=[_plain(g) for g in late_groups], years=mode)
    return result.reset_index(drop=True)


#: How :func:`emerging_terms` counts the years of a period.
PERIOD_YEARS = ("calendar", "with_documents")


def _period_mode(years: str | None, groups: list[Any], by: str) -> str:
    """``"calendar"`` or ``"with_documents"`` (the default: calendar when the groups are years)."""
    integral = bool(groups) and all(isinstance(g, int | np.integer) for g in groups)
    if years is None:
        return "calendar" if integral else "with_documents"
    if years not in PERIOD_YEARS:
        raise OptionError(f"years={years!r}: use one of {', '.join(map(repr, PERIOD_YEARS))}")
    if years == "calendar" and groups and not integral:
        raise InputError(f"years='calendar' needs years as the {by!r} values (whole numbers); "
                         f"they are {', '.join(str(_plain(g)) for g in groups[:5])}: pass "
                         "years='with_documents'")
    return years


def _in_span(groups: list[Any], span: tuple[int, int] | None) -> list[Any]:
    return [] if span is None else [g for g in groups if span[0] <= g <= span[1]]


def _period_name(span: tuple[int, int] | None, chosen: list[Any]) -> str:
    """``"2016-2020"`` (and the years without documents in it), or the years chosen."""
    if span is None:
        return ", ".join(str(_plain(g)) for g in chosen)
    missing = sorted(set(range(span[0], span[1] + 1)) - {int(g) for g in chosen})
    name = f"{span[0]}-{span[1]}"
    return f"{name} (no document in {', '.join(map(str, missing))})" if missing else name


def _warn_gaps(*periods: tuple[str, tuple[int, int] | None, list[Any]], by: str) -> None:
    """Warn about calendar years of a period that have no documents."""
    from nqp_text.diagnostics import warn

    for name, span, chosen in periods:
        if span is None or not chosen:
            continue  # an empty period is an error below
        missing = sorted(set(range(span[0], span[1] + 1)) - {int(g) for g in chosen})
        if missing:
            warn("period_gap", f"the {name} period {span[0]}-{span[1]} of emerging_terms has "
                 f"no document for {by} {', '.join(map(str, missing))}: its rates are over the "
                 f"other {len(chosen)} year(s); pass years='with_documents' for the last "
                 "years that have documents, or early=/late= of your choice", stage="trends",
                 stacklevel=4)


def _warn_undated_reference(corpus: Corpus, reference_ids: pd.Index, by: str) -> None:
    """Warn when the default reference holds documents without a ``by`` value (no year)."""
    from nqp_text.diagnostics import warn

    documents = corpus.documents
    if by not in documents.columns:
        return
    inside = documents[documents["doc_id"].astype(str).isin(reference_ids)]
    undated = inside[inside[by].isna() & (inside["status"] == "ok" if "status" in inside
                                          else True)]
    if len(undated):
        first = ", ".join(undated["doc_id"].astype(str)[:5])
        warn("group_missing", f"the reference (every document not in the target) includes "
             f"{len(undated)} document(s) without a {by!r} (first: {first}); pass a reference "
             f"(--reference 2016-2020) to compare {by} values only", stage="keyness",
             stacklevel=4)


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _groups_in(corpus: Corpus, selection: Selection, by: str) -> list[Any]:
    ids = select_documents(corpus, selection, by)
    documents = corpus.documents.set_index(corpus.documents["doc_id"].astype(str))
    return sorted(documents.loc[ids, by].dropna().unique())
