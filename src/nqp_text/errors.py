"""The exceptions nqp_text raises on purpose: one base, one subclass per kind of problem.

Every error nqp_text raises because of something the user can fix derives
from :class:`NqpTextError`, so ``except nqp_text.NqpTextError`` catches them
all and anything else is a bug. Each kind also derives from the builtin it
replaces, so code written for the builtins keeps working (``except ValueError``
still catches a bad option value, ``except OSError`` a full disk).

========================  =========================================  ==================
class                     meaning                                    also a
========================  =========================================  ==================
:class:`InputError`       a bad input file, record or value          ``ValueError``
:class:`OptionError`      an option or parameter value is refused    ``ValueError``
:class:`MissingInputError`  a file or folder to read does not exist  ``FileNotFoundError``
:class:`ModelError`       a model missing, corrupt or mismatched     ``ValueError``
:class:`ModelNotFoundError`  no model at the name or path given     ``FileNotFoundError``
:class:`OutputError`      an output cannot be written (disk, rights) ``OSError``
:class:`CacheError`       the run's cache cannot be used             ``OSError``
:class:`SchedulerError`   no Dask scheduler answers at an address    ``ConnectionError``
:class:`DependencyError`  an optional extra is not installed         ``ImportError``
========================  =========================================  ==================

``path`` is the file (or folder) concerned, when there is one; the message
names it too. ``nqp-text`` maps each kind to an exit code
(:data:`nqp_text.diagnostics.EXIT_INPUT` …, see the guide's "Exit codes").

This module imports nothing heavy: the command line loads it at startup.

Example:
    >>> from nqp_text.errors import InputError, NqpTextError
    >>> try:
    ...     raise InputError("notes.tsv:3: weight 'x' is not a number", path="notes.tsv")
    ... except ValueError as error:  # still a ValueError
    ...     (isinstance(error, NqpTextError), error.path)
    (True, 'notes.tsv')
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["NqpTextError", "InputError", "OptionError", "MissingInputError", "ModelError",
           "ModelNotFoundError", "OutputError", "CacheError", "SchedulerError", "DependencyError"]


class NqpTextError(Exception):
    """Base of every error nqp_text raises for a problem the user can fix.

    ``path``: the file or folder concerned (``None`` when there is none).
    """

    def __init__(self, message: str, *, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__(message)
        self.path = None if path is None else os.fspath(path)
        if isinstance(self, OSError) and self.path is not None:
            self.filename = self.path

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> tuple[Any, ...]:
        # keep ``path`` across pickling (worker processes, Dask)
        return (_rebuild, (type(self), str(self.args[0]) if self.args else "", self.path))


def _rebuild(cls: type[NqpTextError], message: str, path: str | None) -> NqpTextError:
    return cls(message, path=path)


class InputError(NqpTextError, ValueError):
    """A bad input file, record or value from the user; the message names the file."""


class OptionError(InputError):
    """An option or parameter value that is refused (unknown name, out of range, bad form).

    ``nqp-text`` reports it as a usage error (exit 2).
    """


class MissingInputError(InputError, FileNotFoundError):
    """A file or folder to read does not exist (``nqp-text``: a usage error, exit 2)."""


class ModelError(InputError):
    """A model that cannot be loaded safely: missing, corrupt, or built for something else."""


class ModelNotFoundError(ModelError, MissingInputError):
    """No model at the name or path given (``nqp-text``: a usage error, exit 2)."""


class OutputError(NqpTextError, OSError):
    """An output cannot be written: disk full, no permission, a file where a folder must be."""


class CacheError(OutputError):
    """The run's cache (``OUT/.cache``) cannot be opened, read or written."""


class SchedulerError(NqpTextError, ConnectionError):
    """No Dask scheduler answers at the address given (unreachable, not Dask, too slow)."""


class DependencyError(NqpTextError, ImportError):
    """An optional extra needed for what was asked is not installed; the message says which."""
