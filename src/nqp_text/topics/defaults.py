"""The topic model's defaults, shared by ``fit_topics``, ``nqp-text topics`` and ``run``.

One place, so that the API, the two commands and the report fit the same model
on the same corpus. ``UNIT = "auto"`` lets :func:`choose_unit` pick passages or
documents from the corpus's shape; ``SEED_WEIGHT`` was chosen by
``benchmarks/bench_topics.py`` (seeded share, agreement with the classifier and
c_v on the shared corpora; see ``docs/guide/topics-regional.md``).

Example:
    >>> choose_unit("auto", [5000] * 32, k=12)[0]
    'passage'
    >>> choose_unit("auto", [300] * 500, k=12)[0]
    'document'
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from nqp_text.errors import OptionError

K = 12
SEEDED = True
UNIT = "auto"
PASSES = 5
MIN_DF = 5
SEED_WEIGHT = 0.15
KEEP_PLACES = False
KEEP_POLICY_VERBS = False
#: Largest share of units a term may occur in, per unit (passages share far fewer terms).
MAX_DF = {"passage": 0.5, "document": 0.5}
UNITS = ("auto", "passage", "document")
#: Documents per topic below which a corpus counts as having few documents.
DOCUMENTS_PER_TOPIC = 20
#: Median content tokens per document above which documents count as long.
LONG_DOCUMENT = 1000


def choose_unit(unit: str, document_lengths: Sequence[int], k: int) -> tuple[str, str]:
    """The unit one LDA document is (``passage`` or ``document``) and why, in one sentence.

    ``auto`` models whole documents only when there are many of them (at least
    ``DOCUMENTS_PER_TOPIC * k``) and they are short (median at most
    ``LONG_DOCUMENT`` content tokens). Otherwise passages: with a few dozen long
    reports, a term in more than half of the documents (the shared policy
    vocabulary) is cut by ``max_df`` and what is left to separate documents is
    their place names; passages give LDA thousands of short, single-theme units
    and their prevalence is aggregated to documents and years.
    """
    if unit not in UNITS:
        raise OptionError(f"unit must be one of {UNITS}; got {unit!r}")
    lengths = [float(length) for length in document_lengths]
    n = len(lengths)
    median = float(statistics.median(lengths)) if n else 0.0
    shape = f"{n} documents, median {median:,.0f} content tokens"
    if unit != "auto":
        return unit, f"unit={unit} was asked for ({shape})"
    few, long = n < DOCUMENTS_PER_TOPIC * k, median > LONG_DOCUMENT
    if few or long:
        why = " and ".join(part for part, on in (
            (f"fewer than {DOCUMENTS_PER_TOPIC} x k = {DOCUMENTS_PER_TOPIC * k} documents", few),
            (f"documents longer than {LONG_DOCUMENT:,} tokens", long)) if on)
        return "passage", (f"{shape}: {why}, so passages are modelled and their topic "
                           "weights aggregated to documents and years")
    return "document", (f"{shape}: many short documents, so each document is one unit")


def max_df_for(unit: str) -> float:
    """The default ``max_df`` of a unit (``passage`` or ``document``)."""
    return MAX_DF[unit]
