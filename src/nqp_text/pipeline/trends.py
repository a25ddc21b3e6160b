"""The trends reducer, defined in :mod:`nqp_text.analysis.trends_reducer` (below viz).

Kept so that ``from nqp_text.pipeline.trends import TrendsReducer`` goes on working.

Example:
    >>> from nqp_text.pipeline.trends import TrendsReducer
    >>> TrendsReducer.__module__
    'nqp_text.analysis.trends_reducer'
"""

from __future__ import annotations

from nqp_text.analysis.trends_reducer import TrendsReducer

__all__ = ["TrendsReducer"]
