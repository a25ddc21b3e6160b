"""Train the classifier's word vectors on the unlabelled shared corpora.

Reads the national government work reports, the CPC congress reports and the
provincial reports (2025 Word files, 2026 web scrapes) from ``../shared/corpora``
with :func:`nqp_text.read_corpus` (paragraphs), cuts them with the shipped
Segmenter (content tokens only) and trains skip-gram word2vec with one worker
and a fixed seed (:func:`nqp_text.classify.embeddings.train_word_vectors`), so
the output is byte-identical from run to run. No gold labels are read.

Usage:
    python benchmarks/train_word_vectors.py --out DIR [--dim 64] [--max-vocab 20000]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

from nqp_text import read_corpus
from nqp_text._shared import shared_dir
from nqp_text.classify.embeddings import train_word_vectors
from nqp_text.segment import Segmenter

SOURCES = ("gov_work_reports/government_work_reports.jsonl",
           "cpc_congress_reports/cpc_congress_reports.jsonl",
           "provincial_reports/2025_docx", "provincial_reports/2026_scraped_csv")


def _sha256(path: Path) -> str:
    """sha256 of a file, or of the ``name<TAB>sha256`` lines of a folder's files."""
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    lines = "".join(f"{p.relative_to(path).as_posix()}\t{_sha256(p)}\n"
                    for p in sorted(path.rglob("*")) if p.is_file())
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--max-vocab", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    shared = shared_dir()
    if shared is None:
        print("../shared is absent; nothing to train on", file=sys.stderr)
        return 1
    started = time.perf_counter()
    corpus = read_corpus([shared / "corpora" / s for s in SOURCES], workers=1, timeout=None,
                         memory_limit=None)
    texts = [str(t) for t in corpus.passages["text"]]
    segmenter = Segmenter()
    tokens = [[t for t in segmenter.cut(text) if segmenter.keep(t)] for text in texts]
    print(f"{len(texts)} passages, {sum(map(len, tokens))} tokens "
          f"({time.perf_counter() - started:.0f}s)", file=sys.stderr)
    vectors = train_word_vectors(tokens, dim=args.dim, window=args.window,
                                 min_count=args.min_count, epochs=args.epochs,
                                 max_vocab=args.max_vocab, seed=args.seed)
    import gensim

    vectors.info = {
        "command": (f"python benchmarks/train_word_vectors.py --out DIR --dim {args.dim} "
                    f"--window {args.window} --min-count {args.min_count} --epochs "
                    f"{args.epochs} --max-vocab {args.max_vocab} --seed {args.seed}"),
        "corpus": [{"path": f"corpora/{s}", "sha256": _sha256(shared / "corpora" / s)}
                   for s in SOURCES],
        "n_passages": len(texts), "n_tokens": sum(map(len, tokens)),
        "n_words": len(vectors.words), "dim": vectors.dim,
        "method": "gensim Word2Vec, skip-gram, workers=1; tokens: the shipped Segmenter's "
                  "content tokens of read_corpus paragraphs",
        "gensim": gensim.__version__,
    }
    vectors.save(args.out)
    print(f"{len(vectors.words)} words x {vectors.dim} -> {args.out} "
          f"({time.perf_counter() - started:.0f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
