"""Read labelled passages (the gold JSONL format) into a DataFrame.

One JSON object per line with at least ``text`` and ``labels`` (a list of
category ids, ``[]`` for none); ``id``, ``doc`` (the group for cross-validation),
``year``, ``para_index`` and ``agreement`` are kept when present.

Example:
    >>> from nqp_text.classify.gold import read_gold
    >>> gold = read_gold("framework_passages_dev.jsonl")  # doctest: +SKIP
    >>> gold.columns.tolist()[:4]  # doctest: +SKIP
    ['id', 'doc', 'year', 'para_index']
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from nqp_text.errors import InputError, MissingInputError, OptionError

PathLike = str | os.PathLike[str]


def read_gold(path: PathLike, categories: Sequence[str] | None = None) -> pd.DataFrame:
    """Labelled passages as a DataFrame (``labels`` holds lists), in file order.

    The file is UTF-8 (a byte-order mark is allowed), one JSON object per line. Raises
    ``ValueError`` naming the file and line for another encoding, invalid JSON, a missing
    ``text``/``labels``, labels that are not a list of strings and, given the
    model's ``categories``, a label that is not one of them (``labour_means``,
    a Chinese name such as ``技术创新``).
    """
    path = Path(path)
    if not path.is_file():
        raise MissingInputError(f"{path}: gold file not found", path=path)
    rows = []
    try:
        lines = path.read_text(encoding="utf-8-sig").split("\n")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 (byte {error.start}); save the gold file as "
                         "UTF-8", path=path) from None
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            hint = ("; the file looks like one JSON array or an indented object, and a gold "
                    "file is JSON Lines: one object per line" if line.strip() in ("[", "{")
                    else "")
            raise InputError(f"{path}:{lineno}: not valid JSON ({error}){hint}",
                             path=path) from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise InputError(f"{path}:{lineno}: needs a string 'text'", path=path)
        labels = row.get("labels")
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise InputError(f"{path}:{lineno}: 'labels' must be a list of category ids",
                             path=path)
        unknown = [x for x in labels if categories is not None and x not in categories]
        if unknown:
            raise InputError(f"{path}:{lineno}: unknown label {unknown[0]!r}; known: "
                             f"{', '.join(categories)}", path=path)
        rows.append(row)
    if not rows:
        raise InputError(f"{path}: no labelled passages", path=path)
    frame = pd.DataFrame(rows)
    if "doc" not in frame.columns:
        frame["doc"] = frame["id"].str.rsplit("-p", n=1).str[0] if "id" in frame.columns \
            else [f"row{i}" for i in range(len(frame))]
    first = [c for c in ("id", "doc", "year", "para_index", "text", "labels", "agreement")
             if c in frame.columns]
    frame = frame[first + [c for c in frame.columns if c not in first]]
    frame.attrs["doc_missing"] = not any("doc" in row or "id" in row for row in rows)
    return frame


def parse_gold_spec(spec: PathLike) -> tuple[str, Path]:
    """``"NAME=PATH"`` or ``"PATH"`` -> ``(domain name, path)``; the name defaults to the
    file's stem.

    Example:
        >>> parse_gold_spec("provincial=gold/prov.jsonl")
        ('provincial', PosixPath('gold/prov.jsonl'))
        >>> parse_gold_spec("gold/framework_passages_dev.jsonl")[0]
        'framework_passages_dev'
    """
    text = os.fspath(spec)
    name, sep, rest = text.partition("=")
    if sep and name and "/" not in name and not Path(text).exists():
        return name, Path(rest)
    return Path(text).stem, Path(text)


def read_gold_files(specs: Sequence[PathLike], categories: Sequence[str] | None = None
                    ) -> pd.DataFrame:
    """Several gold files (``NAME=PATH`` or ``PATH``, see :func:`parse_gold_spec`) as one
    DataFrame with a ``domain`` column (the file's name), in the given order.

    Document ids must not repeat across files (they are the cross-validation groups).
    ``categories`` checks every label as :func:`read_gold` does. ``attrs["doc_missing"]``
    lists the files with neither ``doc`` nor ``id`` (each passage is its own group).

    Example:
        >>> specs = ["national=dev.jsonl", "provincial=prov.jsonl"]
        >>> gold = read_gold_files(specs)  # doctest: +SKIP
        >>> gold.groupby("domain").size()  # doctest: +SKIP
    """
    if not specs:
        raise OptionError("no gold file given")
    frames, seen, missing = [], {}, []
    for spec in specs:
        name, path = parse_gold_spec(spec)
        if name in seen:
            raise InputError(f"{path}: domain name {name!r} is already used by {seen[name]}",
                             path=path)
        seen[name] = path
        frame = read_gold(path, categories)
        if frame.attrs.get("doc_missing"):
            missing.append(str(path))
        frame.insert(2, "domain", name)
        frames.append(frame)
    for i, frame in enumerate(frames):
        for other in frames[:i]:
            shared = sorted(set(frame["doc"]) & set(other["doc"]))
            if shared:
                raise InputError(f"{list(seen.values())[i]}: document id(s) {shared[:3]} also "
                                 f"occur in {other['domain'].iloc[0]!r}; groups would leak")
    gold = pd.concat(frames, ignore_index=True)
    gold.attrs["doc_missing"] = missing
    return gold


def file_sha256(path: PathLike) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def warn_missing_doc(gold: pd.DataFrame, cv: int, stage: str) -> list[str]:
    """Warn (``gold_no_doc``) when cross-validating on gold files without ``doc`` or ``id``
    (see :func:`read_gold_files`): each passage is its own group, so passages of one
    document fall in training and test folds and the figures are optimistic.

    Example:
        >>> gold = pd.DataFrame({"text": ["a"], "labels": [[]], "doc": ["row0"]})
        >>> gold.attrs["doc_missing"] = ["mine.jsonl"]
        >>> from nqp_text.diagnostics import collect
        >>> with collect() as found:
        ...     _ = warn_missing_doc(gold, cv=5, stage="train")
        >>> [(d.kind, d.files) for d in found]
        [('gold_no_doc', ('mine.jsonl',))]
    """
    from nqp_text.diagnostics import warn

    missing = [str(f) for f in gold.attrs.get("doc_missing") or []]
    if not cv or not missing:
        return []
    message = ("no 'doc' (or 'id') field: each passage is its own group, so passages of "
               f"one document can be in training and test folds and the {cv}-fold figures "
               "are optimistic; add the document each passage comes from as 'doc'")
    warn("gold_no_doc", message, stage=stage, files=missing)
    return missing
