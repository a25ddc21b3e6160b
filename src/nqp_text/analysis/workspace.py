"""An ``nqp-text`` output directory as the trends commands read and write it.

Inputs: ``passages.parquet`` and ``documents.parquet`` (``nqp-text ingest``),
optionally ``tokens.parquet`` (``nqp-text segment``: content tokens, used for
the token denominators, DTMs, keyness, topics and Word2Vec instead of
segmenting again) and ``labels.parquet`` (``nqp-text classify``: passage labels
for category shares). Outputs: every table as ``<name>.csv`` (UTF-8 with BOM,
so Excel opens it) and ``<name>.parquet``, written atomically and
deterministically.

Example:
    >>> workspace = Workspace("results")  # doctest: +SKIP
    >>> write_table(table, "results", "trends")  # doctest: +SKIP
    [PosixPath('results/trends.csv'), PosixPath('results/trends.parquet')]
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pandas as pd

from nqp_text.corpus import Corpus
from nqp_text.errors import MissingInputError

TOKENS_FILE = "tokens.parquet"
LABELS_FILE = "labels.parquet"


class Workspace:
    """Lazy access to a directory's corpus, tokens and labels."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise MissingInputError(f"{self.directory}: no such directory "
                                    f"(run `nqp-text ingest ... --out {self.directory}` first)",
                                    path=self.directory)
        self._tokens: pd.Series | None = None

    @functools.cached_property
    def corpus(self) -> Corpus:
        """The ingested corpus (``documents.parquet``, ``passages.parquet``)."""
        return Corpus.load(self.directory)

    @property
    def tokens_path(self) -> Path | None:
        """``tokens.parquet`` when ``nqp-text segment`` has written it."""
        path = self.directory / TOKENS_FILE
        return path if path.exists() else None

    @property
    def labels_path(self) -> Path | None:
        """``labels.parquet`` when ``nqp-text classify`` has written it."""
        path = self.directory / LABELS_FILE
        return path if path.exists() else None

    @functools.cached_property
    def labels(self) -> pd.DataFrame | None:
        """Passage labels (``passage_id, labels``) or ``None``."""
        path = self.labels_path
        return None if path is None else pd.read_parquet(path, columns=["passage_id", "labels"])

    def tokens(self, workers: int = 1) -> pd.Series:
        """Content tokens per passage: from ``tokens.parquet``, else segmented now (once)."""
        if self._tokens is None:
            from nqp_text.analysis._inputs import passage_tokens

            self._tokens = passage_tokens(self.corpus, self.tokens_path, workers=workers)
        return self._tokens


def write_table(frame: pd.DataFrame, directory: str | os.PathLike[str], name: str
                ) -> list[Path]:
    """Write ``frame`` to ``directory/name.csv`` (UTF-8 BOM) and ``name.parquet``, atomically."""
    from nqp_text._tables import write_csv, write_parquet

    directory = Path(directory)
    frame = frame.reset_index(drop=True)
    plain = frame.copy()
    plain.attrs = {}
    csv_frame = plain.copy()
    for column in csv_frame.columns:
        if csv_frame[column].map(lambda value: isinstance(value, list | tuple)).any():
            csv_frame[column] = csv_frame[column].map(
                lambda value: " ".join(map(str, value)) if isinstance(value, list | tuple)
                else value)
    return [write_csv(csv_frame, directory / f"{name}.csv"),
            write_parquet(plain, directory / f"{name}.parquet")]
