"""How ``nqp-text`` reports an error that stops a command: one line naming the file, a code by kind.

========  ==============================================================================
code      when
========  ==============================================================================
2         usage: the command line is wrong (argparse, a refused option value, a file or
          folder named that does not exist, a scheduler that does not answer, a missing
          optional extra): the usage line and the message, or the message alone
4         input: a file named by the command exists but cannot be used (a malformed
          metadata CSV, lexicon, framework, gold file; a corrupt or mismatched model)
5         output: an output cannot be written (disk full, no permission, read-only file
          system, a file where a folder must be); the path is named
70        internal error: anything else is a bug in nqp_text; a short message, and the
          traceback saved to a file to attach to a report (printed with
          ``NQP_TEXT_TRACEBACK=1``)
========  ==============================================================================

Bad input *documents* are not errors: they are ``failed`` rows (exit 0, or 3
with ``--strict``); see :mod:`nqp_text.diagnostics` for codes 0, 1 and 3.

Example:
    >>> from nqp_text.errors import InputError, OptionError, OutputError
    >>> classify(OptionError("k must be an integer >= 1; got 0"))
    (2, 'k must be an integer >= 1; got 0')
    >>> classify(InputError("meta.csv: the metadata file is empty", path="meta.csv"))
    (4, 'meta.csv: the metadata file is empty')
    >>> import errno
    >>> classify(OSError(errno.ENOSPC, "No space left on device", "out/tokens.parquet"))[0]
    5
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
import traceback

from nqp_text.diagnostics import EXIT_INPUT, EXIT_INTERNAL, EXIT_OUTPUT, EXIT_USAGE
from nqp_text.errors import (
    DependencyError,
    InputError,
    MissingInputError,
    NqpTextError,
    OptionError,
    OutputError,
    SchedulerError,
)

__all__ = ["classify", "report", "usage_kind", "TRACEBACK_ENV"]

#: Set to 1 to print the traceback of an internal error on stderr.
TRACEBACK_ENV = "NQP_TEXT_TRACEBACK"
#: ``errno`` values that mean the output side is full or closed, whatever the path.
_DISK = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}


def usage_kind(error: BaseException) -> bool:
    """True for the errors shown with the command's usage line (a wrong command line)."""
    return isinstance(error, OptionError | MissingInputError)


def _named(message: str, path: str | None) -> str:
    if path and path not in message:
        return f"{path}: {message}"
    return message


def _under(path: str, directory: str | None) -> bool:
    if not directory:
        return False
    try:
        return os.path.commonpath([os.path.abspath(path), os.path.abspath(directory)]) \
            == os.path.abspath(directory)
    except ValueError:  # different drives
        return False


def classify(error: BaseException, out: str | None = None) -> tuple[int, str]:
    """The exit code and the one-line message for ``error``; ``out`` is the output folder.

    Returns ``EXIT_INTERNAL`` for anything that is not an error of a known kind.
    """
    if isinstance(error, NqpTextError):
        message = _named(str(error), error.path)
        if isinstance(error, OptionError | MissingInputError | SchedulerError | DependencyError):
            return EXIT_USAGE, message
        if isinstance(error, InputError):
            return EXIT_INPUT, message
        if isinstance(error, OutputError):
            return EXIT_OUTPUT, _output_message(error, message)
    elif isinstance(error, OSError) and (error.errno is not None or error.filename):
        filename = os.fsdecode(error.filename) if error.filename is not None else None
        reason = error.strerror or str(error)
        if error.errno in _DISK or (filename and _under(filename, out)):
            return EXIT_OUTPUT, _output_message(error, _named(reason, filename or out))
        if filename:
            return EXIT_INPUT, _named(reason, filename)
    return EXIT_INTERNAL, ""


def _output_message(error: OSError, message: str) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"cannot write {message} (disk full: free some space or choose another "
                "--out; a run resumes from its cache)")
    if error.errno == errno.ENOENT:  # e.g. a cache file removed while the run used it
        return (f"cannot use {message} (a file of the output folder vanished during the "
                "command; run it again: a run resumes from its cache)")
    return f"cannot write {message}"


def report(command: str, error: BaseException, out: str | None = None) -> int:
    """Print what went wrong on stderr (never the usage text) and return the exit code."""
    code, message = classify(error, out)
    if code != EXIT_INTERNAL:
        print(f"nqp-text {command}: error: {message}", file=sys.stderr)
        return code
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    where = _innermost_frame(error)
    print(f"nqp-text {command}: internal error: {type(error).__name__}: "
          f"{str(error).strip().splitlines()[0] if str(error).strip() else ''}{where}",
          file=sys.stderr)
    saved = _save_traceback(text)
    print("This is a bug in nqp_text, not a problem with your input; please report it "
          "with the traceback" + (f", saved in {saved}" if saved else "")
          + f" (set {TRACEBACK_ENV}=1 to print it here).", file=sys.stderr)
    if os.environ.get(TRACEBACK_ENV, "") not in ("", "0"):
        print(text, file=sys.stderr, end="")
    return code


def _innermost_frame(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    return f" (at {os.path.basename(last.filename)}:{last.lineno} in {last.name})"


def _save_traceback(text: str) -> str | None:
    try:
        handle, path = tempfile.mkstemp(prefix="nqp-text-traceback-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
    except OSError:
        return None
    return path
