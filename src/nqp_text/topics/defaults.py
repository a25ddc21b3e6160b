"""Topic-model defaults shared by :func:`~nqp_text.topics.lda.fit_topics`, ``nqp-text topics``,
``nqp-text report`` and ``nqp-text run`` (:class:`~nqp_text.pipeline.RunOptions`): the same
call gives the same topics. Kept apart from :mod:`nqp_text.topics.lda` (which imports
gensim and pandas) so that ``nqp-text --help`` stays fast.

Example:
    >>> from nqp_text.topics.defaults import DEFAULT_K, DEFAULT_UNIT
    >>> DEFAULT_K, DEFAULT_UNIT
    (12, 'document')
"""

from __future__ import annotations

DEFAULT_K = 12
DEFAULT_UNIT = "document"
DEFAULT_PASSES = 5
DEFAULT_MIN_DF = 2
DEFAULT_MAX_DF = 0.5
