"""Load a :class:`~nqp_text.measures.model.Measure` from a file, a dict, a list or a name.

Accepted sources (:func:`load_measure`):

* a ``Measure`` (checked and returned);
* a **list** of terms — one dimension named after the measure;
* a **dict** ``{dimension: [terms]}``, or a full specification
  ``{"name": ..., "citation": ..., "dimensions": {...}}`` (the YAML layout);
* a **YAML** file (``.yaml``/``.yml``) in that layout: each dimension is a list
  of terms, or ``{label: 中文名, terms: [...]}``; a term is a string or
  ``{term: 人工智能, weight: 2}``;
* a **TSV/CSV** file (``.tsv``, ``.csv``) with a header naming ``term`` and
  optionally ``dimension`` and ``weight`` (other columns are ignored; ``#``
  lines are comments); without ``dimension`` all terms form one dimension;
* a **text** file (``.txt``): one term per line;
* the **name** of a shipped measure (:func:`nqp_text.measures.available`) or of
  a built-in one (``framework``, ``term_groups``, ``lexicon``).

Errors name the file and line (or the dict entry): an empty term, a term
listed twice in a dimension, a weight that is not a positive number, a
missing ``term`` column, an unknown key.

Example:
    >>> load_measure(["数字化", "数字化转型"], name="dt").dimensions
    {'dt': ('数字化', '数字化转型')}
    >>> load_measure({"ai": ["人工智能"], "data": ["大数据", "数据要素"]}).n_terms
    3
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from nqp_text.errors import MissingInputError
from nqp_text.measures.model import Measure, MeasureError

#: Top-level keys of a YAML / dict specification.
SPEC_KEYS = ("name", "title", "citation", "source", "version", "rule", "prefix", "verification",
             "notes", "labels", "dimensions", "context")
_TABLE_SUFFIXES = {".tsv": "\t", ".csv": ","}


class _Entry(NamedTuple):
    term: Any
    dimension: str
    weight: Any
    where: str


def load_measure(source: Any, *, name: str | None = None) -> Measure:
    """A validated :class:`Measure` from any accepted source (see the module docstring).

    ``name`` names a measure made from a list or a dict (default ``"terms"`` /
    ``"measure"``) or overrides a file's stem.

    Example:
        >>> load_measure(["数据要素"], name="data").name
        'data'
    """
    if isinstance(source, Measure):
        return source.validated()
    if isinstance(source, str | os.PathLike):
        return _load_named_or_file(source, name)
    if isinstance(source, Mapping):
        return _from_mapping(dict(source), name, origin=None)
    if isinstance(source, list | tuple | set | frozenset):
        terms = sorted(source) if isinstance(source, set | frozenset) else list(source)
        label = name or "terms"
        entries = [_Entry(term, label, None, f"list item {i}") for i, term in enumerate(terms)]
        return _build(entries, {"name": label}, origin=None)
    raise TypeError(f"cannot make a measure from {type(source).__name__}; give a list, a dict, "
                    "a file path, a Measure or a shipped measure's name")


def _load_named_or_file(source: str | os.PathLike[str], name: str | None) -> Measure:
    path = Path(source)
    if path.is_file():
        return load_measure_file(path, name=name)
    text = str(source)
    from nqp_text.measures.builtin import builtin_measure, shipped_names

    if text in shipped_names() or text in ("framework", "term_groups", "lexicon"):
        measure = builtin_measure(text)
        _warn_if_unverified(measure)
        return measure if name is None else _renamed(measure, name)
    known = [*shipped_names(), "framework", "term_groups", "lexicon"]
    if path.suffix or os.sep in text:
        raise _UnknownMeasure(f"{path}: no such dictionary file"
                              f"{_did_you_mean(path.name, _files_beside(path))}", path=path)
    raise _UnknownMeasure(f"{text!r} is neither a dictionary file nor a known measure"
                          f"{_did_you_mean(text, known)}; known: {', '.join(known)}")


class _UnknownMeasure(MissingInputError, MeasureError):
    """A dictionary named that is neither a file nor a shipped measure: a wrong command line
    (exit code 2, as for any input named that does not exist), and still a ``MeasureError``."""


def _files_beside(path: Path) -> list[str]:
    """The names of the files in the folder ``path`` names (none when it does not exist)."""
    folder = path.parent
    try:
        return sorted(entry.name for entry in folder.iterdir() if entry.is_file())
    except OSError:
        return []


def _did_you_mean(name: str, candidates: list[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidates, else an empty string."""
    from nqp_text.diagnostics import similar_names

    guesses = [candidate for candidate in candidates if candidate.startswith(name)]
    guesses += [guess for guess in similar_names(name, candidates) if guess not in guesses]
    if not guesses:
        return ""
    return f" (did you mean {' or '.join(repr(guess) for guess in guesses)}?)"


def _warn_if_unverified(measure: Measure) -> None:
    """Say on every use that a shipped list was not checked against its paper."""
    from nqp_text.measures.builtin import UNVERIFIED_MARK

    if (measure.verification or "").startswith(UNVERIFIED_MARK):
        from nqp_text.diagnostics import warn

        warn("measure_unverified",
             f"dictionary {measure.name!r} was transcribed from a secondary source and not "
             "checked against the paper it cites; read its verification "
             "(nqp-text measure --list) before citing counts made with it",
             stage="measure", stacklevel=4)


def _renamed(measure: Measure, name: str) -> Measure:
    from dataclasses import replace

    return replace(measure, name=name).validated()


def load_measure_file(path: str | os.PathLike[str], *, name: str | None = None) -> Measure:
    """Read a YAML, TSV, CSV or TXT dictionary file into a validated :class:`Measure`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MeasureError(f"{path}: cannot read dictionary file: {exc.strerror or exc}") from exc
    from nqp_text.io.text import decode_bytes

    try:
        text, _ = decode_bytes(data, path)
    except Exception as exc:  # ReaderError: binary or undecodable
        raise MeasureError(f"{path}: {exc}") from exc
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _from_yaml(text, path, name)
    if suffix in _TABLE_SUFFIXES:
        return _from_table(text, path, _TABLE_SUFFIXES[suffix], name or path.stem)
    if suffix == ".txt":
        label = name or path.stem
        entries = [_Entry(line.strip(), label, None, f"{path}:{number}")
                   for number, line in enumerate(text.splitlines(), start=1)
                   if line.strip() and not line.lstrip().startswith("#")]
        return _build(entries, {"name": label}, origin=str(path))
    raise MeasureError(f"{path}: unsupported dictionary format {suffix or '(no suffix)'}; "
                       "use .yaml, .tsv, .csv or .txt")


def _from_table(text: str, path: Path, delimiter: str, name: str) -> Measure:
    rows = [(number, cells) for number, cells in
            enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
            if cells and any(cell.strip() for cell in cells)
            and not cells[0].lstrip().startswith("#")]
    if not rows:
        raise MeasureError(f"{path}: the dictionary file is empty")
    header_line, header = rows[0]
    header = [cell.strip().lower() for cell in header]
    if "term" not in header:
        raise MeasureError(f"{path}:{header_line}: the header must name a 'term' column "
                           f"(and optionally 'dimension', 'weight'); found {header}")
    column = {key: header.index(key) for key in ("term", "dimension", "weight") if key in header}
    entries = []
    for number, cells in rows[1:]:
        def cell(key: str, cells: list[str] = cells) -> str | None:
            index = column.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else None

        dimension = cell("dimension") if "dimension" in column else name
        if not dimension:
            raise MeasureError(f"{path}:{number}: empty dimension for term {cell('term')!r}")
        entries.append(_Entry(cell("term") or "", dimension, cell("weight") or None,
                              f"{path}:{number}"))
    return _build(entries, {"name": name}, origin=str(path))


def _from_yaml(text: str, path: Path, name: str | None) -> Measure:
    import yaml

    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise MeasureError(f"{path}: not valid YAML: {exc}") from exc
    if root is None:
        raise MeasureError(f"{path}: the dictionary file is empty")
    if not isinstance(root, yaml.MappingNode):
        raise MeasureError(f"{path}:{root.start_mark.line + 1}: expected a mapping with "
                           "'dimensions' (or dimension: [terms])")
    plain = yaml.safe_load(text)
    keys = {key.value: value for key, value in root.value}
    if "dimensions" not in keys:
        spec: dict[str, Any] = {"name": name or path.stem}
        dimensions_node = root
    else:
        spec = {key: value for key, value in plain.items() if key != "dimensions"}
        _check_keys(spec, str(path))
        spec.setdefault("name", path.stem)
        if name:
            spec["name"] = name
        dimensions_node = keys["dimensions"]
    if not isinstance(dimensions_node, yaml.MappingNode):
        raise MeasureError(f"{path}:{dimensions_node.start_mark.line + 1}: 'dimensions' must "
                           "map each dimension to its terms")
    entries: list[_Entry] = []
    labels = dict(spec.get("labels") or {})
    for key_node, value_node in dimensions_node.value:
        dimension = str(key_node.value)
        terms_node = value_node
        if isinstance(value_node, yaml.MappingNode):
            fields = {k.value: v for k, v in value_node.value}
            unknown = set(fields) - {"label", "terms"}
            if unknown or "terms" not in fields:
                raise MeasureError(f"{path}:{value_node.start_mark.line + 1}: dimension "
                                   f"{dimension!r} needs 'terms' (and optionally 'label'); "
                                   f"found {sorted(fields)}")
            if "label" in fields:
                labels[dimension] = str(fields["label"].value)
            terms_node = fields["terms"]
        if not isinstance(terms_node, yaml.SequenceNode):
            raise MeasureError(f"{path}:{terms_node.start_mark.line + 1}: dimension "
                               f"{dimension!r} must list its terms")
        if not terms_node.value:
            raise MeasureError(f"{path}:{terms_node.start_mark.line + 1}: dimension "
                               f"{dimension!r} has no term")
        for item in terms_node.value:
            where = f"{path}:{item.start_mark.line + 1}"
            if isinstance(item, yaml.ScalarNode):
                entries.append(_Entry(item.value, dimension, None, where))
            elif isinstance(item, yaml.MappingNode):
                fields = {k.value: v.value for k, v in item.value}
                if "term" not in fields or set(fields) - {"term", "weight"}:
                    raise MeasureError(f"{where}: a term entry is a string or "
                                       f"{{term: ..., weight: ...}}; found {sorted(fields)}")
                entries.append(_Entry(fields["term"], dimension, fields.get("weight"), where))
            else:
                raise MeasureError(f"{where}: a term must be a string")
    spec["labels"] = labels
    return _build(entries, spec, origin=str(path))


def _check_keys(spec: Mapping[str, Any], origin: str | None) -> None:
    unknown = sorted(set(spec) - set(SPEC_KEYS))
    if unknown:
        where = f"{origin}: " if origin else ""
        raise MeasureError(f"{where}unknown key(s) {unknown}; a measure specification has "
                           f"{', '.join(SPEC_KEYS)}")


def _from_mapping(mapping: dict[str, Any], name: str | None, origin: str | None) -> Measure:
    if "dimensions" in mapping:
        spec = {key: value for key, value in mapping.items() if key != "dimensions"}
        _check_keys(spec, origin)
        dimensions = mapping["dimensions"]
        if not isinstance(dimensions, Mapping):
            raise MeasureError("'dimensions' must map each dimension to its terms")
    else:
        spec, dimensions = {}, mapping
    spec.setdefault("name", name or "measure")
    if name:
        spec["name"] = name
    labels = dict(spec.get("labels") or {})
    entries: list[_Entry] = []
    for dimension, value in dimensions.items():
        dimension = str(dimension)
        if isinstance(value, Mapping):
            if "label" in value:
                labels[dimension] = str(value["label"])
            value = value.get("terms")
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise MeasureError(f"dimension {dimension!r}: give its terms as a list "
                               f"(got {type(value).__name__})")
        for i, item in enumerate(value):
            where = f"dimension {dimension!r}, term #{i + 1}"
            if isinstance(item, Mapping):
                entries.append(_Entry(item.get("term"), dimension, item.get("weight"), where))
            else:
                entries.append(_Entry(item, dimension, None, where))
    spec["labels"] = labels
    return _build(entries, spec, origin=origin)


def _weight(value: Any, where: str) -> float | None:
    if value is None:
        return None
    try:
        weight = float(value)
    except (TypeError, ValueError):
        raise MeasureError(f"{where}: weight {value!r} is not a number") from None
    if not math.isfinite(weight) or weight <= 0:
        raise MeasureError(f"{where}: weight {value!r} must be a positive number")
    return weight


def _build(entries: list[_Entry], spec: Mapping[str, Any], origin: str | None) -> Measure:
    dimensions: dict[str, list[str]] = {}
    weights: dict[str, dict[str, float]] = {}
    seen: dict[tuple[str, str], str] = {}
    for entry in entries:
        if not isinstance(entry.term, str):
            raise MeasureError(f"{entry.where}: a term must be a string, got {entry.term!r}")
        term = entry.term.strip()
        if not term:
            raise MeasureError(f"{entry.where}: empty term")
        key = (entry.dimension, term)
        if key in seen:
            raise MeasureError(f"{entry.where}: term {term!r} is listed twice in dimension "
                               f"{entry.dimension!r} (first at {seen[key]})")
        seen[key] = entry.where
        dimensions.setdefault(entry.dimension, []).append(term)
        weight = _weight(entry.weight, entry.where)
        if weight is not None:
            weights.setdefault(entry.dimension, {})[term] = weight
    if not dimensions:
        where = f"{origin}: " if origin else ""
        raise MeasureError(f"{where}the dictionary has no term")
    fields = {key: spec[key] for key in ("title", "citation", "source", "version", "rule",
                                         "prefix", "verification") if spec.get(key) is not None}
    for key in ("title", "citation", "source", "version", "verification"):
        if key in fields:
            fields[key] = str(fields[key]).strip()
    measure = Measure(name=str(spec["name"]), dimensions=dimensions, weights=weights,
                      labels=dict(spec.get("labels") or {}),
                      context=tuple(spec.get("context") or ()), origin=origin, **fields)
    return measure.validated()
