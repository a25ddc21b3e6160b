"""topics stage of nqp_text: seeded LDA topic models, their coherence and quality.

Names are imported on first use (``import nqp_text.topics`` stays light: the command
line reads :mod:`nqp_text.topics.defaults` at startup).

Example:
    >>> from nqp_text.topics import TopicModel
    >>> TopicModel(k=8, random_state=0).get_params()["k"]
    8
"""

from __future__ import annotations

from nqp_text._lazy import lazy_exports

#: Public name -> module that defines it.
_EXPORTS: dict[str, str] = {
    "TopicModel": "nqp_text.topics.lda",
    "fit_topics": "nqp_text.topics.lda",
    "topic_prevalence": "nqp_text.topics.lda",
    "coherence_by_k": "nqp_text.topics.coherence",
    "coherence_scores": "nqp_text.topics.coherence",
    "choose_unit": "nqp_text.topics.defaults",
    "seeded_share": "nqp_text.topics.quality",
    "category_agreement": "nqp_text.topics.quality",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
