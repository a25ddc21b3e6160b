"""``nqp-text classify DIR`` (passages.parquet -> labels.parquet) or ``--text "..."``.

Example:
    $ nqp-text classify results --model default
    $ nqp-text classify --text "加快建设全国统一大市场。"
    $ nqp-text classify results --unit sentence
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

MODEL_HELP = ("default (shipped FrameworkClassifier), dictionary (keywords only), a model "
              "directory from `nqp-text train`, or a framework YAML (dictionary over it)")


def register(subparsers: Any) -> None:
    """Add the ``classify`` subcommand."""
    parser = subparsers.add_parser(
        "classify", help="label passages with the 新质生产力 framework categories",
        description="Read DIR/passages.parquet and write DIR/labels.parquet (passage_id, "
                    "labels, score_<category>..., evidence), or print the labels and "
                    "evidence of one passage given with --text.",
    )
    parser.add_argument("directory", metavar="DIR", nargs="?",
                        help="folder with passages.parquet (from `nqp-text ingest`)")
    parser.add_argument("--text", help="classify this one passage and print the result")
    parser.add_argument("--model", default="default", metavar="MODEL", help=MODEL_HELP)
    parser.add_argument("--json", action="store_true", help="with --text: print JSON")
    parser.add_argument("--unit", choices=("paragraph", "sentence"), default="paragraph",
                        help="label each passage as a whole (default) or each of its "
                             "sentences, the passage getting their union")
    parser.set_defaults(handler=run)


def _sentences(model: Any, text: str, as_json: bool) -> int:
    from nqp_text.classify.run import classify_texts, sentences_of

    sentences = sentences_of(text)
    frame = classify_texts(sentences, model)
    union = classify_texts([text], model, unit="sentence")
    if as_json:
        print(json.dumps({
            "labels": list(union.loc[0, "labels"]),
            "sentences": [{"text": sentence, "labels": list(row.labels)}
                          for sentence, row in zip(sentences, frame.itertuples(), strict=True)],
        }, ensure_ascii=False, sort_keys=True))
        return 0
    print("labels: " + (", ".join(union.loc[0, "labels"]) or "(none)"))
    for sentence, row in zip(sentences, frame.itertuples(), strict=True):
        print(f"  [{', '.join(row.labels) or 'none'}] {sentence}")
    return 0


def _one_text(model: Any, text: str, as_json: bool) -> int:
    labels = model.predict([text])[0]
    scores = dict(zip(model.categories_, model.predict_proba([text])[0].tolist(), strict=True))
    table = model.explain(text) if hasattr(model, "explain") else None
    if as_json:
        evidence: dict[str, list[list[Any]]] = {}
        if table is not None:
            for row in table.itertuples(index=False):
                evidence.setdefault(row.category, []).append([row.term, row.contribution])
        print(json.dumps({"labels": list(labels),
                          "scores": {k: round(v, 6) for k, v in scores.items()},
                          "evidence": evidence}, ensure_ascii=False, sort_keys=True))
        return 0
    print("labels: " + (", ".join(labels) if labels else "(none)"))
    for category, score in scores.items():
        terms = ""
        if table is not None:
            rows = table[table["category"] == category]
            terms = ", ".join(f"{t}×{n}" if n > 1 else t
                              for t, n in zip(rows["term"], rows["clauses"], strict=True))
        mark = "*" if category in labels else " "
        print(f" {mark} {category:<22} {score:.3f}  {terms}")
    return 0


def run(args: argparse.Namespace) -> int:
    from nqp_text.classify.persist import load_model
    from nqp_text.classify.run import classify_directory
    from nqp_text.cli import UsageError

    if (args.directory is None) == (args.text is None):
        raise UsageError("give either DIR or --text \"...\"")
    model = load_model(args.model)
    if args.text is not None:
        if args.unit == "sentence":
            return _sentences(model, args.text, args.json)
        return _one_text(model, args.text, args.json)
    started = time.perf_counter()
    try:
        target = classify_directory(args.directory, model, unit=args.unit)
    except FileNotFoundError as error:
        raise UsageError(str(error)) from None
    print(f"wrote {target} ({time.perf_counter() - started:.1f}s, model={args.model})")
    return 0
