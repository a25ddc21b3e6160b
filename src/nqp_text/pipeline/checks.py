"""What ``nqp-text run`` warns about, defined in :mod:`nqp_text._checks` (below every layer
that uses it: the datasets, the classifier's run, the report).

Kept so that ``from nqp_text.pipeline.checks import year_gaps`` goes on working.

Example:
    >>> from nqp_text.pipeline.checks import year_gaps
    >>> year_gaps.__module__
    'nqp_text._checks'
"""

from __future__ import annotations

from nqp_text._checks import (
    SHORT_UNIT,
    ingest_checks,
    no_dated_text,
    no_inputs,
    short_units,
    skipped_keyness,
    stage_errors,
    year_gaps,
)

__all__ = ["SHORT_UNIT", "ingest_checks", "no_dated_text", "no_inputs", "short_units",
           "skipped_keyness", "stage_errors", "year_gaps"]
