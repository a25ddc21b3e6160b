"""Corpora for the trends/topics/report tests, read in place from ../shared."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd

from nqp_text.corpus import Corpus


def raw_reports(jsonl: Path) -> dict[int, str]:
    """Year -> raw ``content`` of each government work report (NPC resolutions skipped)."""
    reports: dict[int, str] = {}
    with open(jsonl, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("year") is not None:
                reports[int(record["year"])] = record["content"]
    return reports


@functools.lru_cache(maxsize=2)
def gov_corpus(jsonl: Path) -> Corpus:
    """The government work reports via ``fetch_gov_work_reports`` (data home = ../shared)."""
    from nqp_text.datasets import fetch_gov_work_reports

    return fetch_gov_work_reports(data_home=jsonl.parents[2])


def simple_tokens(corpus: Corpus) -> pd.DataFrame:
    """Content tokens of every passage from the default :class:`nqp_text.Segmenter`."""
    from nqp_text.analysis._inputs import passage_tokens

    tokens = passage_tokens(corpus)
    return pd.DataFrame({"passage_id": tokens.index, "tokens": tokens.to_numpy()})


@functools.lru_cache(maxsize=2)
def gov_tokens(jsonl: Path) -> pd.DataFrame:
    """Content tokens of the government work reports (segmented once per test session)."""
    return simple_tokens(gov_corpus(jsonl))
