"""Limits of reading that the command line shows without importing the readers.

Kept apart from :mod:`nqp_text.io.reader` (which imports pandas) so that
``nqp-text --help`` and argument errors stay fast.

Example:
    >>> from nqp_text.io._limits import DEFAULT_TIMEOUT
    >>> DEFAULT_TIMEOUT
    600.0
"""

from __future__ import annotations

#: Seconds one file may take before its reader is killed (a 300-page annual
#: report takes about a minute with pdfplumber on one core).
DEFAULT_TIMEOUT = 600.0
