"""Where the team's shared real data (``../shared``) lives, for tests and benchmarks.

One place in the code decides it: the ``NQP_TEXT_SHARED`` environment variable,
else the ``shared`` folder beside the checkout. Tests skip cleanly when it is
absent; nothing from it is ever copied into the repository.

Example:
    >>> from nqp_text._shared import shared_dir
    >>> shared_dir()  # doctest: +SKIP
    PosixPath('/work/shared')
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "NQP_TEXT_SHARED"


def shared_dir() -> Path | None:
    """Return the shared data folder, or ``None`` when it does not exist."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        candidates = [Path(configured)]
    else:
        checkout = Path(__file__).resolve().parents[2]
        candidates = [checkout.parent / "shared", Path.cwd().parent / "shared"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate.resolve()
    return None
