"""preprocess stage of nqp_text: normalisation, boilerplate, chapters and passages.

Names are imported on first use.

Example:
    >>> from nqp_text.preprocess import normalize_text
    >>> normalize_text("ＡＩ　产业")
    'AI产业'
"""

from __future__ import annotations

from nqp_text._lazy import lazy_exports

#: Public name -> module that defines it.
_EXPORTS: dict[str, str] = {
    "normalize_text": "nqp_text.preprocess.normalize",
    "find_chapters": "nqp_text.preprocess.sections",
    "remove_boilerplate": "nqp_text.preprocess.boilerplate",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
