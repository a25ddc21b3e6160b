"""Term and category frequencies by document, year or any metadata column.

Counts follow the two rules of :mod:`nqp_text.analysis.counting` over each
document's cleaned text (:func:`nqp_text.analysis._inputs.document_texts`):

* ``terms=[...]`` (terms asked for by name): every non-overlapping occurrence
  of each string, ``text.count(term)``; 数字经济 inside 数字经济核心产业 counts.
* ``terms=None`` (the whole lexicon) or ``terms="<category id>"``: leftmost-
  longest matching over the whole lexicon (plus the category's own terms),
  without overlaps, so that categories never double-count; a category table
  keeps its terms' rows.

The denominators are exact too: ``n_docs`` documents in the group,
``n_tokens`` content tokens of the group's passages (the Segmenter's
``.tokens``: no punctuation, stopwords or bare numbers). ``per_10k_tokens`` is
``count / n_tokens * 10000`` and ``doc_share`` is ``docs_with_term / n_docs``.
Token totals need a segmentation, so :func:`term_frequencies` computes them only
when tokens are given or ``normalize="per_10k_tokens"`` asks for them.

Example:
    >>> import nqp_text
    >>> table = nqp_text.term_frequencies(corpus, ["新质生产力"], by="year")  # doctest: +SKIP
    >>> table.loc[table.group == 2024, "count"]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from nqp_text.analysis._groups import ByLike, attach_groups, carried_metadata, group_documents
from nqp_text.analysis._inputs import TokensLike, document_texts, passage_tokens
from nqp_text.analysis.counting import count_term
from nqp_text.analysis.vocabulary import category_map, category_terms, lexicon_table
from nqp_text.corpus import Corpus
from nqp_text.errors import InputError, OptionError
from nqp_text.preprocess.normalize import normalize_characters

NORMALIZE = (None, "count", "per_10k_tokens", "doc_share")
TERM_COLUMNS = ["group", "term", "count", "n_docs", "n_tokens", "per_10k_tokens", "doc_share",
                "docs_with_term", "value"]
CATEGORY_COLUMNS = ["group", "category", "count", "n_docs", "n_tokens", "per_10k_tokens",
                    "n_passages", "n_labelled", "passage_share", "share_low", "share_high"]


def wilson_interval(successes: Any, trials: Any, confidence: float = 0.95
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion (vectorised; NaN where ``trials == 0``).

    The bounds are exactly 0 when nothing succeeded and exactly 1 when everything did
    (the formula gives ``-1e-17`` or ``1.0000000000000002`` there in floating point,
    which a table would print as ``-0.0%``), and are kept inside [0, 1].

    Example:
        >>> low, high = wilson_interval(5, 50)
        >>> round(float(low), 4), round(float(high), 4)
        (0.0435, 0.2136)
        >>> float(wilson_interval(0, 434)[0]), float(wilson_interval(10, 10)[1])
        (0.0, 1.0)
    """
    from scipy.stats import norm

    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    z = norm.ppf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denominator = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
        low = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        high = np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    return np.where(n == 0, np.nan, low), np.where(n == 0, np.nan, high)


def document_token_counts(corpus: Corpus, tokens: TokensLike = None, segmenter: Any = None,
                          workers: int = 1) -> pd.Series:
    """Number of content tokens per document (``doc_id`` index)."""
    per_passage = passage_tokens(corpus, tokens, segmenter, workers).map(len)
    doc_ids = corpus.passages["doc_id"].astype(str).to_numpy()
    return pd.Series(per_passage.to_numpy(), index=doc_ids).groupby(level=0).sum()


def _exact_counts(texts: pd.Series, terms: Sequence[str]) -> np.ndarray:
    """Occurrences of each term, written as the readers write text (``５Ｇ`` is counted as
    ``5G``: the cleaned texts hold no full-width letters, digits or zero-width characters)."""
    needles = [normalize_characters(term) for term in terms]
    counts = np.zeros((len(texts), len(terms)), dtype=np.int64)
    for row, text in enumerate(texts):
        for column, needle in enumerate(needles):
            counts[row, column] = count_term(text, needle)
    return counts


def _longest_match_counts(texts: pd.Series, terms: Sequence[str],
                          vocabulary: Iterable[str]) -> np.ndarray:
    """Counts of ``terms`` (columns) under leftmost-longest matching over ``vocabulary``.

    The same path as every measure: a one-dimension measure with the
    vocabulary as matching context.
    """
    from nqp_text.measures.counting import document_term_counts
    from nqp_text.measures.model import Measure

    spec = Measure(name="terms", dimensions={"terms": list(dict.fromkeys(terms))},
                   context=tuple(vocabulary))
    counts = document_term_counts(texts, spec)
    return counts[list(terms)].to_numpy(dtype=np.int64)


def _resolve_terms(terms: str | Sequence[str] | None, framework: Any, lexicon: str | None
                   ) -> tuple[list[str], str]:
    if terms is None:
        return sorted(lexicon_table(lexicon)["term"].astype(str)), "longest_match"
    if isinstance(terms, str):
        try:
            return category_terms(terms, framework, lexicon), "longest_match"
        except KeyError as error:
            raise OptionError(f"{error.args[0]}; to count a single term pass a list: "
                              f"terms=[{terms!r}]") from None
    resolved = list(dict.fromkeys(str(term) for term in terms))
    if not resolved or any(not term for term in resolved):
        raise OptionError("terms must be a non-empty list of non-empty strings")
    return resolved, "exact"


def count_matrix(corpus: Corpus, terms: str | Sequence[str] | None = None, *,
                 framework: Any = None, lexicon: str | None = None) -> pd.DataFrame:
    """Occurrences of each term (columns) in each document's cleaned text (rows, ``doc_id``).

    The counting rule is in ``.attrs["rule"]`` (``"exact"`` or ``"longest_match"``).
    """
    resolved, rule = _resolve_terms(terms, framework, lexicon)
    texts = document_texts(corpus)
    if rule == "exact":
        counts = _exact_counts(texts, resolved)
    else:
        counts = _longest_match_counts(texts, resolved, lexicon_table(lexicon)["term"].astype(str))
    frame = pd.DataFrame(counts, index=texts.index.rename("doc_id"), columns=resolved)
    frame.attrs["rule"] = rule
    return frame


def _check_normalize(normalize: str | None) -> str:
    if normalize not in NORMALIZE:
        raise OptionError(f"normalize must be one of {NORMALIZE}; got {normalize!r}")
    return normalize or "count"


def _sort_groups(frame: pd.DataFrame, key_order: Mapping[str, int], key: str) -> pd.DataFrame:
    order = frame[key].map(key_order)
    frame = frame.assign(_order=order.to_numpy())
    frame = frame.sort_values(["group", "_order"], kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)


def term_frequencies(corpus: Corpus, terms: str | Sequence[str] | None = None,
                     by: ByLike = "year", normalize: str | None = None, *,
                     tokens: TokensLike = None, segmenter: Any = None, workers: int = 1,
                     framework: Any = None, lexicon: str | None = None) -> pd.DataFrame:
    """Exact term counts per group as a tidy table, with their denominators.

    ``terms``: a list of strings (counted at every occurrence), ``None`` (the
    whole lexicon, longest-match) or a category / term-group id (its terms,
    longest-match over the lexicon). ``by``: a column of ``corpus.documents``
    (``"year"``, ``"doc_id"``, ``"source"`` ...), a list of columns
    (``["stkcd", "year"]``: one group per combination, one key column each) or
    ``None`` for all documents. ``normalize`` picks the measure copied into
    ``value``: ``None``/``"count"``, ``"per_10k_tokens"`` or ``"doc_share"``.
    ``tokens``: precomputed tokens (``tokens.parquet``) for ``n_tokens``.

    Counting never segments. The token totals ``n_tokens`` (and
    ``per_10k_tokens``) are computed when ``normalize="per_10k_tokens"`` is
    asked for (passages lacking given tokens are then segmented) or when
    ``tokens`` are given; otherwise they are missing (``<NA>`` / NaN), because
    segmenting a corpus costs far more than counting named terms in it.

    Columns: ``group`` (or the ``by`` columns), then, when grouping by
    ``doc_id``, the documents' ``year``, ``title`` and metadata columns, then
    ``term, count, n_docs, n_tokens, per_10k_tokens, doc_share, docs_with_term,
    value``; one row per group and term (zeros included), groups ascending,
    terms in the order asked (lexicon terms sorted).

    Example:
        >>> term_frequencies(corpus, ["数字经济"], by="year")  # doctest: +SKIP
    """
    measure = _check_normalize(normalize)
    counts = count_matrix(corpus, terms, framework=framework, lexicon=lexicon)
    codes, groups = group_documents(corpus, by)
    counts = counts.loc[counts.index.isin(codes.index)]
    group_of = codes.reindex(counts.index)
    grouped = counts.groupby(group_of.to_numpy(), sort=True)
    totals = grouped.sum()
    present = (counts > 0).groupby(group_of.to_numpy(), sort=True).sum()
    docs = group_of.groupby(group_of.to_numpy(), sort=True).size()
    table = totals.rename_axis("group").reset_index().melt(
        id_vars="group", var_name="term", value_name="count")
    table["docs_with_term"] = present.rename_axis("group").reset_index().melt(
        id_vars="group", var_name="term", value_name="n")["n"].to_numpy()
    table["n_docs"] = table["group"].map(docs).astype("int64")
    if measure == "per_10k_tokens" or tokens is not None:
        n_tokens = document_token_counts(corpus, tokens, segmenter, workers).reindex(
            counts.index, fill_value=0)
        token_totals = n_tokens.groupby(group_of.to_numpy(), sort=True).sum()
        table["n_tokens"] = table["group"].map(token_totals).astype("int64")
    else:
        table["n_tokens"] = pd.array([pd.NA] * len(table), dtype="Int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        n_tokens_values = table["n_tokens"].to_numpy(dtype=float, na_value=np.nan)
        table["per_10k_tokens"] = np.where(n_tokens_values > 0,
                                           table["count"] / n_tokens_values * 10_000, np.nan)
        table["doc_share"] = table["docs_with_term"] / table["n_docs"]
    table["count"] = table["count"].astype("int64")
    table["docs_with_term"] = table["docs_with_term"].astype("int64")
    table["value"] = table[measure].astype(float)
    table = _sort_groups(table, {term: i for i, term in enumerate(counts.columns)}, "term")
    table = _with_keys(table[["group", *TERM_COLUMNS[1:]]], corpus, codes, groups, by)
    table.attrs.update(by=_by_label(by), rule=counts.attrs["rule"], normalize=measure)
    return table


def _by_label(by: ByLike) -> str | list[str]:
    if by is None:
        return "all"
    return by if isinstance(by, str) else [str(name) for name in by]


def _with_keys(table: pd.DataFrame, corpus: Corpus, codes: pd.Series, groups: pd.DataFrame,
               by: ByLike) -> pd.DataFrame:
    """The integer group codes of ``table`` replaced by the key columns (+ metadata per doc)."""
    per_document = by == "doc_id" or (not isinstance(by, str) and by is not None
                                      and "doc_id" in list(by))
    carried = carried_metadata(corpus, codes, exclude=list(groups.columns)) if per_document \
        else None
    return attach_groups(table, groups, carried)


def _labels_frame(labels: pd.DataFrame | str | None) -> pd.DataFrame | None:
    if labels is None:
        return None
    if not isinstance(labels, pd.DataFrame):
        labels = pd.read_parquet(labels, columns=["passage_id", "labels"])
    missing = {"passage_id", "labels"} - set(labels.columns)
    if missing:
        raise InputError(f"labels table lacks column(s) {sorted(missing)}")
    return labels


def category_frequencies(corpus: Corpus, categories: Sequence[str] | None = None,
                         by: ByLike = "year", *, labels: pd.DataFrame | str | None = None,
                         confidence: float = 0.95, tokens: TokensLike = None,
                         segmenter: Any = None, workers: int = 1, framework: Any = None,
                         lexicon: str | None = None) -> pd.DataFrame:
    """Two measures of each framework category per group (document, year ...).

    * a text-based index: ``count``, the occurrences of the category's terms
      under the longest-match rule (one stretch of text counts once even if a
      longer and a shorter term could both match), and ``per_10k_tokens``;
    * when ``labels`` (``labels.parquet`` of ``nqp-text classify``, or a
      ``passage_id, labels`` DataFrame) is given: ``passage_share``, the share
      of the group's ``n_passages`` passages labelled with the category
      (``n_labelled``), with a Wilson ``confidence`` interval
      ``share_low``/``share_high``. Without labels these columns are NaN.

    ``categories`` defaults to the six framework categories; framework term
    groups (``productivity_core``, ``path_factors`` ...) work too (a term in
    two groups counts in both). ``by`` as in :func:`term_frequencies` (a
    column, a list of columns, or ``None``). The counts go through the same
    code as every measure (:func:`nqp_text.measures.counting.document_term_counts`,
    with the lexicon as matching context).

    Example:
        >>> category_frequencies(corpus, by="year", labels="out/labels.parquet")  # doctest: +SKIP
    """
    from nqp_text.measures.builtin import category_measure
    from nqp_text.measures.counting import document_term_counts

    mapping = category_map(list(categories) if categories else None, framework, lexicon)
    texts = document_texts(corpus)
    term_counts = document_term_counts(texts, category_measure(mapping, lexicon))
    per_category = pd.DataFrame({category: term_counts[list(dict.fromkeys(terms))].sum(axis=1)
                                 for category, terms in mapping.items()}, index=texts.index)
    codes, groups = group_documents(corpus, by)
    per_category = per_category.loc[per_category.index.isin(codes.index)]
    key = codes.reindex(per_category.index).to_numpy()
    n_tokens = document_token_counts(corpus, tokens, segmenter, workers).reindex(
        per_category.index, fill_value=0)
    table = per_category.groupby(key, sort=True).sum().rename_axis("group").reset_index().melt(
        id_vars="group", var_name="category", value_name="count")
    table["n_docs"] = table["group"].map(pd.Series(key).value_counts()).astype("int64")
    table["n_tokens"] = table["group"].map(n_tokens.groupby(key).sum()).astype("int64")
    table["per_10k_tokens"] = np.where(table["n_tokens"] > 0,
                                       table["count"] / table["n_tokens"].clip(lower=1) * 10_000,
                                       np.nan)
    table = table.merge(_passage_shares(corpus, codes, _labels_frame(labels), list(mapping),
                                        confidence), on=["group", "category"], how="left")
    table = _sort_groups(table, {category: i for i, category in enumerate(mapping)}, "category")
    table = _with_keys(table[CATEGORY_COLUMNS], corpus, codes, groups, by)
    table.attrs.update(by=_by_label(by), rule="longest_match", confidence=confidence)
    return table


def passage_shares(corpus: Corpus, labels: pd.DataFrame | str,
                   categories: Sequence[str] | None = None, by: ByLike = "year", *,
                   min_chars: int = 0, confidence: float = 0.95, framework: Any = None,
                   lexicon: str | None = None) -> pd.DataFrame:
    """The share of each group's passages the classifier labelled with each category.

    The ``passage_share`` columns of :func:`category_frequencies` without its term
    counts, over the passages of at least ``min_chars`` characters only (``0``: every
    passage, as :func:`category_frequencies`). Columns: the ``by`` keys, ``category``,
    ``n_passages`` (the passages counted), ``n_labelled``, ``passage_share`` and its
    Wilson interval ``share_low``/``share_high``. A group none of whose passages is
    long enough has ``n_passages`` 0 and NaN shares. Panels use it to leave headings
    and table captions out of the shares (``data/panel_shares.yaml``).

    Example:
        >>> passage_shares(corpus, "out/labels.parquet", by=["stkcd", "year"],
        ...                min_chars=20)  # doctest: +SKIP
    """
    if min_chars < 0:
        raise OptionError(f"min_chars must be 0 or more; got {min_chars}")
    mapping = category_map(list(categories) if categories else None, framework, lexicon)
    codes, groups = group_documents(corpus, by)
    table = _passage_shares(corpus, codes, _labels_frame(labels), list(mapping), confidence,
                            min_chars)
    table = _sort_groups(table, {category: i for i, category in enumerate(mapping)}, "category")
    table = _with_keys(table, corpus, codes, groups, by)
    table.attrs.update(by=_by_label(by), min_chars=min_chars, confidence=confidence)
    return table


def _passage_shares(corpus: Corpus, groups: pd.Series, labels: pd.DataFrame | None,
                    categories: list[str], confidence: float, min_chars: int = 0
                    ) -> pd.DataFrame:
    """One row per group and category: passages, labelled passages, share and interval.

    Only passages of at least ``min_chars`` characters count; every group with a
    passage keeps its rows, also when none is that long (``n_passages`` 0, shares NaN).
    A passage without a row in ``labels`` is an error whatever its length."""
    passages = corpus.passages[["doc_id", "passage_id", "text"]].astype(str)
    passages = passages[passages["doc_id"].isin(groups.index)]
    passages = passages.assign(group=groups.reindex(passages["doc_id"]).to_numpy())
    every_group = pd.Index(sorted(set(passages["group"])), dtype=passages["group"].dtype)
    if labels is not None:
        label_sets = {str(pid): set(value) if value is not None else set()
                      for pid, value in zip(labels["passage_id"], labels["labels"], strict=True)}
        unlabelled = passages.loc[~passages["passage_id"].isin(label_sets), "passage_id"]
        if len(unlabelled):
            raise InputError(f"{len(unlabelled)} passage(s) have no row in the labels table "
                             f"(first: {unlabelled.iloc[0]}); re-run `nqp-text classify`")
    if min_chars:
        passages = passages[passages["text"].str.len() >= min_chars]
    n_passages = passages.groupby("group", sort=True).size().reindex(every_group, fill_value=0)
    rows = []
    if labels is None:
        for group, n in n_passages.items():
            rows += [(group, category, int(n), np.nan) for category in categories]
        frame = pd.DataFrame(rows, columns=["group", "category", "n_passages", "n_labelled"])
        return frame.assign(passage_share=np.nan, share_low=np.nan, share_high=np.nan)
    for category in categories:
        flags = passages["passage_id"].map(lambda pid, c=category: c in label_sets[pid])
        hits = flags.groupby(passages["group"].to_numpy(), sort=True).sum()
        for group, n in n_passages.items():
            rows.append((group, category, int(n), int(hits.get(group, 0))))
    frame = pd.DataFrame(rows, columns=["group", "category", "n_passages", "n_labelled"])
    frame["passage_share"] = frame["n_labelled"] / frame["n_passages"].where(
        frame["n_passages"] > 0)
    low, high = wilson_interval(frame["n_labelled"], frame["n_passages"], confidence)
    frame["share_low"], frame["share_high"] = low, high
    return frame
