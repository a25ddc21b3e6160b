"""Indexing for lazy row sequences: ``seq[i]``, ``seq[-1]`` and ``seq[a:b]`` from ``_row``.

:class:`~nqp_text.analysis.dtm.BowCorpus` and the topic model's ``CountRows`` build a
document's row only when it is read; both index the same way, which lives here once.

Example:
    >>> class Squares(RowIndexing):
    ...     def __len__(self): return 4
    ...     def _row(self, row): return row * row
    >>> rows = Squares()
    >>> rows[-1], rows[1:3]
    (9, [1, 4])
"""

from __future__ import annotations

from typing import Any


class RowIndexing:
    """``__getitem__`` for a sequence that defines ``__len__`` and ``_row(position)``."""

    def __len__(self) -> int:  # pragma: no cover - defined by the subclass
        raise NotImplementedError

    def _row(self, row: int) -> Any:  # pragma: no cover - defined by the subclass
        raise NotImplementedError

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self)))]
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(f"row {index} out of range for {len(self)} rows")
        return self._row(position)
