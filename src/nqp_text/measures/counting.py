"""Count a measure in a corpus, per document or per group: :func:`measure`.

Counts are taken in each document's cleaned text
(:func:`nqp_text.analysis._inputs.document_texts`) with
:class:`nqp_text.analysis.counting.LongestMatchCounter` over the measure's
terms plus its ``context``: leftmost-longest without overlaps, so a stretch of
text counts once, for its longest term (数字化转型 is one 数字化转型, not also a
数字化). A dimension's ``count`` sums its terms; ``total`` counts every matched
stretch once (a term listed in two dimensions counts in both, but once in the
total).

Per row: ``count``, ``weighted`` (Σ weight × count, only for weighted
measures), ``n_docs``, ``n_tokens`` (content tokens, the Segmenter's
``.tokens``), ``n_chars`` (characters of the cleaned text), ``per_10k_tokens``
(``count / n_tokens × 10000``), ``ln1p`` (``ln(1 + count)``, the usual firm-year
index), ``value`` (the ``normalize`` column) and ``matched_terms`` (``term=count``
pairs, most frequent first).

Example:
    >>> import nqp_text
    >>> nqp_text.measure(corpus, "wu2021_digital_transformation", by=["stkcd", "year"],
    ...                  tokens="results/tokens.parquet")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from nqp_text.analysis._groups import (
    GROUP,
    ByLike,
    attach_groups,
    carried_metadata,
    group_documents,
)
from nqp_text.analysis._inputs import TokensLike, document_texts
from nqp_text.analysis.counting import LongestMatchCounter
from nqp_text.corpus import Corpus
from nqp_text.errors import OptionError
from nqp_text.measures.model import TOTAL, Measure

NORMALIZE = ("count", "per_10k_tokens", "ln1p", "weighted")
VALUE_COLUMNS = ["measure", "dimension", "label", "count", "weighted", "n_docs", "n_tokens",
                 "n_chars", "per_10k_tokens", "ln1p", "value", "matched_terms"]


def document_term_counts(texts: pd.Series, measure: Measure) -> pd.DataFrame:
    """Matches of each of the measure's terms (columns) in each text (rows, ``texts`` index).

    The one counting path of every measure (user dictionaries, published ones,
    framework categories): leftmost-longest over ``terms ∪ context``.

    Example:
        >>> m = Measure("dt", {"dt": ["数字化", "数字化转型"]})
        >>> document_term_counts(pd.Series({"d1": "数字化转型与数字化"}), m).loc["d1"].tolist()
        [1, 1]
    """
    terms = measure.terms
    counter = LongestMatchCounter([*terms, *measure.context])
    column = {term: index for index, term in enumerate(terms)}
    counts = np.zeros((len(texts), len(terms)), dtype=np.int64)
    for row, text in enumerate(texts):
        for term, n in counter.count("" if text is None else str(text)).items():
            index = column.get(term)
            if index is not None:
                counts[row, index] = n
    return pd.DataFrame(counts, index=texts.index, columns=terms)


class GroupUnits(NamedTuple):
    """The documents of a grouping and each group's denominators and metadata."""

    texts: pd.Series
    codes: pd.Series
    groups: pd.DataFrame
    totals: pd.DataFrame
    carried: pd.DataFrame


def group_units(corpus: Corpus, by: ByLike, *, tokens: TokensLike = None, segmenter: Any = None,
                workers: int = 1) -> GroupUnits:
    """Texts, group codes, key values, ``n_docs, n_tokens, n_chars`` and carried metadata.

    ``totals`` and ``carried`` are indexed by group code; :func:`measure` and
    :func:`nqp_text.measures.panel` share it so that their rows agree.
    """
    from nqp_text.analysis.frequencies import document_token_counts

    texts = document_texts(corpus)
    codes, groups = group_documents(corpus, by)
    texts = texts.loc[texts.index.isin(codes.index)]
    group_of = codes.reindex(texts.index).to_numpy()
    n_tokens = document_token_counts(corpus, tokens, segmenter, workers).reindex(
        texts.index, fill_value=0)
    totals = pd.DataFrame({
        "n_docs": pd.Series(group_of).value_counts().sort_index(),
        "n_tokens": n_tokens.groupby(group_of, sort=True).sum(),
        "n_chars": texts.map(len).groupby(group_of, sort=True).sum(),
    }).fillna(0).astype("int64")
    carried = carried_metadata(corpus, codes, exclude=list(groups.columns))
    return GroupUnits(texts, codes, groups, totals, carried)


def _matched(row: pd.Series) -> str:
    hits = row[row > 0]
    if hits.empty:
        return ""
    order = sorted(hits.items(), key=lambda item: (-int(item[1]), str(item[0])))
    return "; ".join(f"{term}={int(n)}" for term, n in order)


def _check_normalize(normalize: str | None, measure: Measure) -> str:
    normalize = normalize or "count"
    if normalize not in NORMALIZE:
        raise OptionError(f"normalize must be one of {NORMALIZE}; got {normalize!r}")
    if normalize == "weighted" and not measure.weighted:
        raise OptionError(f"measure {measure.name!r} has no weights; normalize='weighted' "
                          "needs a dictionary with a weight column")
    return normalize


def measure(corpus: Corpus, measure: Any, by: ByLike = "doc_id", normalize: str | None = None,
            *, tokens: TokensLike = None, segmenter: Any = None, workers: int = 1,
            name: str | None = None) -> pd.DataFrame:
    """Count a dictionary per document or group: per dimension and in total.

    ``measure``: a :class:`~nqp_text.measures.Measure`, a list of terms, a dict
    ``{dimension: [terms]}``, a YAML/TSV/CSV/TXT file or a shipped measure's
    name (:func:`nqp_text.measures.load_measure`; ``name`` names a list/dict).
    ``by``: ``"doc_id"`` (default), any ``corpus.documents`` column, a list of
    columns (``["stkcd", "year"]``) or ``None``. ``normalize``: the column
    copied into ``value`` (``count``, ``per_10k_tokens``, ``ln1p``, ``weighted``).
    ``tokens``: ``tokens.parquet`` (or a DataFrame/Series) for ``n_tokens``;
    otherwise the passages are segmented now.

    One row per group and dimension (the dimensions in the measure's order,
    then ``total``); the key columns first, named after ``by`` (``group`` for ``None``),
    then the metadata columns constant within each group (``year``, ``title``,
    ``province`` ...), then :data:`VALUE_COLUMNS` (``weighted`` only for a
    weighted measure). Groups with no match have zero rows, not missing ones.

    Example:
        >>> measure(corpus, ["数字化", "数字化转型"], name="dt")  # doctest: +SKIP
    """
    from nqp_text.measures.loading import load_measure

    spec = load_measure(measure, name=name)
    normalize = _check_normalize(normalize, spec)
    units = group_units(corpus, [by] if isinstance(by, str) else by, tokens=tokens,
                        segmenter=segmenter, workers=workers)
    texts, codes, groups = units.texts, units.codes, units.groups
    term_counts = document_term_counts(texts, spec)
    by_group = term_counts.groupby(codes.reindex(texts.index).to_numpy(), sort=True).sum()
    frames = []
    dimensions = [*spec.dimensions, TOTAL]
    for dimension in dimensions:
        terms = spec.terms if dimension == TOTAL else list(dict.fromkeys(
            spec.dimensions[dimension]))
        block = by_group[terms]
        frame = pd.DataFrame({GROUP: by_group.index.to_numpy(),
                              "measure": spec.name, "dimension": dimension,
                              "label": spec.label(dimension),
                              "count": block.sum(axis=1).to_numpy(dtype=np.int64)})
        if spec.weighted:
            if dimension == TOTAL:
                weights = np.array([max(spec.weight(d, t) for d in spec.dimension_of(t))
                                    for t in terms])
            else:
                weights = np.array([spec.weight(dimension, t) for t in terms])
            frame["weighted"] = block.to_numpy() @ weights
        frame["matched_terms"] = [_matched(row) for _, row in block.iterrows()]
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    order = {dimension: i for i, dimension in enumerate(dimensions)}
    table = table.assign(_order=table["dimension"].map(order)).sort_values(
        [GROUP, "_order"], kind="stable").drop(columns="_order").reset_index(drop=True)
    for column in ("n_docs", "n_tokens", "n_chars"):
        table[column] = table[GROUP].map(units.totals[column]).fillna(0).astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        table["per_10k_tokens"] = np.where(table["n_tokens"] > 0,
                                           table["count"] / table["n_tokens"] * 10_000, np.nan)
    table["ln1p"] = np.log1p(table["count"].astype(float))
    table["value"] = table[normalize].astype(float)
    columns = [GROUP, *(c for c in VALUE_COLUMNS if c != "weighted" or spec.weighted)]
    table = attach_groups(table[columns], groups, units.carried)
    table.attrs.update(measure=spec.name, by=by if by is not None else "all",
                       normalize=normalize, rule=spec.rule, citation=spec.citation or "")
    if len(texts) and int(table.loc[table["dimension"] == TOTAL, "count"].sum()) == 0:
        import warnings

        warnings.warn(f"measure {spec.name!r}: no term matched in any of the {len(texts)} "
                      "documents; check the dictionary and the texts", UserWarning, stacklevel=2)
    return table
