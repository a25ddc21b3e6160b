"""Keep pdfminer's log noise away from the user and collect real problems per document.

pdfminer logs thousands of lines such as ``Could not get FontBBox from font
descriptor`` on some files. :func:`capture_pdfminer_logs` routes the
``pdfminer`` logger to a collector for the duration of a ``with`` block and
restores the logger's level, handlers and propagation afterwards; the global
logging configuration is never changed for good. Known harmless messages are
counted and dropped; any other message becomes a per-document warning.

The logger is process-wide, so nested or concurrent (threaded) uses are reference
counted: the logger is restored when the last block exits, and each thread
collects only the records its own reads produce.

Example:
    >>> with capture_pdfminer_logs() as collected:
    ...     pass  # open and read a PDF here
    >>> collected.warnings()
    []
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections import Counter
from collections.abc import Iterator

__all__ = ["capture_pdfminer_logs", "PdfminerLog"]

_LOGGER_NAME = "pdfminer"
#: Messages that say nothing about the extracted text.
_NOISE = re.compile(
    r"Could not get FontBBox|Cannot set (gray|RGB|CMYK)? ?(non-)?stroke color|"
    r"Ignoring \(part of\) ToUnicode map|Invalid dictionary construct|"
    r"The PDF .* contains a metadata field|font descriptor|Unsupported Type3",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")


class PdfminerLog:
    """Messages collected during one read: noise count and real problems."""

    def __init__(self) -> None:
        self.noise = 0
        self._problems: Counter[str] = Counter()

    def add(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        if record.levelno < logging.WARNING or _NOISE.search(message):
            self.noise += 1
        else:
            self._problems[_DIGITS.sub("N", message.strip())[:200]] += 1

    def warnings(self) -> list[str]:
        """One line per distinct problem, with its count, sorted."""
        return [
            f"pdfminer: {message}" + (f" (x{count})" if count > 1 else "")
            for message, count in sorted(self._problems.items())
        ]


class _Router(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        collectors: list[PdfminerLog] = getattr(self.local, "collectors", [])
        if collectors:
            collectors[-1].add(record)


class _Capture:
    """Reference-counted takeover of the ``pdfminer`` logger."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._router = _Router()
        self._saved: tuple[int, bool, list[logging.Handler]] | None = None

    @contextlib.contextmanager
    def __call__(self) -> Iterator[PdfminerLog]:
        logger = logging.getLogger(_LOGGER_NAME)
        with self._lock:
            if self._depth == 0:
                self._saved = (logger.level, logger.propagate, list(logger.handlers))
                for handler in self._saved[2]:
                    logger.removeHandler(handler)
                logger.addHandler(self._router)
                logger.setLevel(logging.WARNING)
                logger.propagate = False
            self._depth += 1
        collected = PdfminerLog()
        stack: list[PdfminerLog] = getattr(self._router.local, "collectors", [])
        stack.append(collected)
        self._router.local.collectors = stack
        try:
            yield collected
        finally:
            stack.pop()
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._saved is not None:
                    level, propagate, handlers = self._saved
                    logger.removeHandler(self._router)
                    for handler in handlers:
                        logger.addHandler(handler)
                    logger.setLevel(level)
                    logger.propagate = propagate
                    self._saved = None


capture_pdfminer_logs = _Capture()
