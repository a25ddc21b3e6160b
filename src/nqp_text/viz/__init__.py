"""viz stage of nqp_text: charts with Chinese labels and the HTML report.

Names are imported on first use (matplotlib loads only when a chart is drawn).

Example:
    >>> from nqp_text.viz import build_report
    >>> build_report("results")  # doctest: +SKIP
"""

from __future__ import annotations

from nqp_text._lazy import lazy_exports

#: Public name -> module that defines it.
_EXPORTS: dict[str, str] = {
    "build_report": "nqp_text.viz.report",
    "find_cjk_font": "nqp_text.viz.fonts",
    "CJKFontNotFoundError": "nqp_text.viz.fonts",
    "plot_term_trends": "nqp_text.viz.plots",
    "plot_category_shares": "nqp_text.viz.plots",
    "plot_topic_prevalence": "nqp_text.viz.plots",
    "plot_keyness": "nqp_text.viz.plots",
    "plot_coherence": "nqp_text.viz.plots",
    "plot_documents_per_year": "nqp_text.viz.plots",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
