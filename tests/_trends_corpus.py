"""Corpora for the trends/topics/report tests, read in place from ../shared."""

from __future__ import annotations

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


def gov_corpus(jsonl: Path) -> Corpus:
    """The government work reports as a Corpus (one passage per non-blank line)."""
    documents, passages = [], []
    for year, content in sorted(raw_reports(jsonl).items()):
        doc_id = f"gwr{year}"
        documents.append({"doc_id": doc_id, "path": str(jsonl), "title": f"{year}",
                          "year": year, "source": "gov_work_reports", "status": "ok",
                          "error": None, "n_pages": None, "n_chars": len(content),
                          "sha256": None})
        offset = 0
        for seq, line in enumerate(content.split("\n")):
            if line.strip():
                passages.append({"doc_id": doc_id, "passage_id": f"{doc_id}:{len(passages)}",
                                 "seq": seq, "year": year, "text": line, "start": offset,
                                 "end": offset + len(line)})
            offset += len(line) + 1
    return Corpus(pd.DataFrame(documents), pd.DataFrame(passages))


def simple_tokens(corpus: Corpus) -> pd.DataFrame:
    """Content tokens from a private jieba tokenizer (word characters, length > 1)."""
    import re

    import jieba

    tokenizer = jieba.Tokenizer()
    word = re.compile(r"\w")
    tokens = [[token for token in tokenizer.lcut(str(text))
               if len(token) > 1 and word.search(token)] for text in corpus.passages["text"]]
    return pd.DataFrame({"passage_id": corpus.passages["passage_id"].astype(str),
                         "tokens": tokens})
