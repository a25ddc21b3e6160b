"""analysis stage of nqp_text: term and category frequencies, keyness, phrases, expansion.

Names are imported on first use. ``kwic`` and ``keyness`` are modules of this package
(``nqp_text.analysis.kwic``) named like their functions; the functions are
``nqp_text.kwic`` and ``nqp_text.keyness`` (or ``nqp_text.analysis.kwic.kwic``).

Example:
    >>> from nqp_text.analysis import count_term
    >>> count_term("数据要素，数据。", "数据")
    2
"""

from __future__ import annotations

from nqp_text._lazy import lazy_exports

#: Public name -> module that defines it.
_EXPORTS: dict[str, str] = {
    "term_frequencies": "nqp_text.analysis.frequencies",
    "category_frequencies": "nqp_text.analysis.frequencies",
    "passage_shares": "nqp_text.analysis.frequencies",
    "wilson_interval": "nqp_text.analysis.frequencies",
    "count_term": "nqp_text.analysis.counting",
    "LongestMatchCounter": "nqp_text.analysis.counting",
    "DocumentTermMatrix": "nqp_text.analysis.dtm",
    "BowCorpus": "nqp_text.analysis.dtm",
    "document_term_matrix": "nqp_text.analysis.dtm",
    "emerging_terms": "nqp_text.analysis.keyness",
    "discover_phrases": "nqp_text.analysis.phrases",
    "LexiconExpander": "nqp_text.analysis.expansion",
    "expand_lexicon": "nqp_text.analysis.expansion",
    "place_terms": "nqp_text.analysis.places",
    "gazetteer": "nqp_text.analysis.places",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
