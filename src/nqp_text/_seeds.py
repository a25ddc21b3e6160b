"""``seed`` and ``random_state``: one seed under scikit-learn's name, the old name kept as an alias.

Example:
    >>> resolve_random_state(seed=3, random_state=None), resolve_random_state(None, 5)
    (3, 5)
    >>> resolve_random_state(None, None)
    0
"""

from __future__ import annotations

from nqp_text.errors import OptionError


def resolve_random_state(seed: int | None, random_state: int | None, default: int = 0) -> int:
    """The seed to use: ``random_state``, else ``seed`` (its alias), else ``default``.

    Both given with different values is an :class:`~nqp_text.errors.OptionError`.
    """
    if seed is not None and random_state is not None and seed != random_state:
        raise OptionError(f"seed={seed!r} and random_state={random_state!r} disagree; "
                          "seed is an alias of random_state: give one of them")
    chosen = random_state if random_state is not None else seed
    return default if chosen is None else chosen
