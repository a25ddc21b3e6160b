"""Panels: one row per unit × year with every measure, category shares and metadata.

:func:`panel` turns a run folder (``nqp-text run``: documents, passages,
tokens, labels) or a :class:`~nqp_text.corpus.Corpus` into the table an
econometrician merges into a firm-year or province-year panel:

* the key columns (``by``, e.g. ``stkcd, year`` or ``province, year``);
* the metadata columns constant within each unit-year (firm name, province,
  title ...), then ``n_docs, n_tokens, n_chars``;
* per measure and dimension (and ``total``): the count ``<stem>_<dim>``, the
  rate per 10,000 content tokens ``<stem>_<dim>_p10k`` and ``ln(1+count)``
  ``<stem>_<dim>_ln1p`` (``<stem>``: the measure's ``prefix``, e.g. ``dt``; a
  second measure with the same prefix gets ``dt2``); a measure of one dimension
  (a plain term list) has only its ``<stem>_total`` columns, which equal that
  dimension's counts;
* with the classifier's ``labels.parquet``: ``n_passages`` (every passage),
  ``n_content`` (the content passages: at least ``min_chars`` characters, 20 from
  ``data/panel_shares.yaml``) and, per framework category, the share of the
  unit-year's content passages labelled with it (``share_<category>``) and the
  share of all its passages (``share_<category>_all``, the definition before
  session 10). Annual-report PDFs break into many headings and table captions; a
  share over every passage would depend on how a firm's PDF is laid out.

``layout="long"`` gives instead one row per unit-year × measure × dimension
(the :func:`~nqp_text.measures.measure` tables stacked, plus the category
shares as measure ``classifier`` over the content passages and ``classifier_all``
over every passage, each with its own ``n_passages``). :func:`write_panel` writes ``.dta`` (Stata
118: valid variable names, Chinese variable labels), ``.csv`` (UTF-8 with BOM
for Excel) or ``.parquet``, atomically and with the same bytes on every run.

Example:
    >>> table = panel("results", by=["stkcd", "year"],
    ...               measures=["wu2021_digital_transformation"])  # doctest: +SKIP
    >>> write_panel(table, "panel.dta")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nqp_text.errors import OptionError
from nqp_text.measures.model import TOTAL, Measure

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")
#: Stata labels of the columns every panel has.
_FIXED_LABELS = {"year": "年份", "title": "标题", "n_docs": "文档数", "n_tokens": "词数（内容词）",
                 "n_chars": "字符数", "n_passages": "段落数（全部）", "stkcd": "证券代码",
                 "firm": "公司简称", "province": "省份", "doc_id": "文档编号",
                 "report_type": "报告类型", "report_date": "报告发布日期（文件名）"}
_STATA_TIME = _dt.datetime(2000, 1, 1)


@functools.lru_cache(maxsize=1)
def content_min_chars() -> int:
    """Characters a passage needs to count in a panel's shares (``data/panel_shares.yaml``).

    Example:
        >>> content_min_chars()
        20
    """
    from importlib import resources

    import yaml

    name = "data/panel_shares.yaml"
    values = yaml.safe_load(resources.files("nqp_text").joinpath(name).read_text("utf-8"))
    found = values.get("min_chars") if isinstance(values, dict) else None
    if not isinstance(found, int) or isinstance(found, bool) or found < 0:
        raise ValueError(f"nqp_text/{name}: min_chars must be a whole number of characters "
                         f"(0 or more); got {found!r}")
    return found


def _workspace_inputs(source: Any, tokens: Any, labels: Any) -> tuple[Any, Any, Any]:
    from nqp_text.corpus import Corpus

    if isinstance(source, Corpus):
        return source, tokens, None if labels is None or labels is False else labels
    from nqp_text.analysis.workspace import Workspace

    workspace = Workspace(source)
    corpus = workspace.corpus
    if tokens is None:
        tokens = workspace.tokens_path
    if labels is None:
        labels = workspace.labels_path
        if labels is None:
            warnings.warn(f"{workspace.directory}: no labels.parquet (run `nqp-text classify` "
                          "or `nqp-text run`); the panel has no category shares",
                          UserWarning, stacklevel=3)
    elif labels is False:
        labels = None
    return corpus, tokens, labels


def _var(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", str(text)).strip("_").lower()
    return cleaned


def _dimension_vars(spec: Measure) -> dict[str, str]:
    """ASCII variable stems per dimension, short enough for ``<stem>_<dim>_ln1p`` ≤ 32."""
    room = 32 - len(spec.stem) - len("_") - len("_ln1p")
    names: dict[str, str] = {}
    for index, dimension in enumerate([*spec.dimensions, TOTAL], start=1):
        var = _var(dimension)
        if not var or not var[0].isalpha() or var in names.values():
            var = f"d{index}"
        names[dimension] = var[:room].rstrip("_")
    return names


def panel(source: Any, by: str | Sequence[str] = ("stkcd", "year"),
          measures: Sequence[Any] | Any = (), *, labels: Any = None, tokens: Any = None,
          layout: str = "wide", segmenter: Any = None, workers: int = 1,
          framework: Any = None, min_chars: int | None = None) -> pd.DataFrame:
    """The unit × year panel of a run folder or corpus (see the module docstring).

    ``source``: a run / ingest folder or a Corpus. ``by``: the unit and time
    columns of ``documents`` (from a metadata CSV: ``stkcd``, ``province`` ...).
    ``measures``: measure sources (:func:`~nqp_text.measures.load_measure`: a
    shipped name, a file, a dict, a Measure). ``labels``: ``labels.parquet``
    (default: the run folder's, if any; ``False``: none). ``tokens``: as in
    :func:`~nqp_text.measures.measure` (default: the run folder's
    ``tokens.parquet``). ``layout``: ``"wide"`` or ``"long"``. ``min_chars``: the
    characters a passage needs to count in ``share_<category>`` and ``n_content``
    (default :func:`content_min_chars`, 20; ``0``: every passage, so that
    ``share_<category>`` equals ``share_<category>_all``).

    The wide table's ``attrs["variable_labels"]`` maps each column to a Chinese
    label (used for Stata). A unit-year with several documents sums them
    (``n_docs`` says how many) and a warning names how many such rows there are.

    Example:
        >>> panel("results", by=["province", "year"], measures=["framework"])  # doctest: +SKIP
    """
    from nqp_text.measures.counting import measure as count_measure
    from nqp_text.measures.loading import load_measure

    if layout not in ("wide", "long"):
        raise OptionError(f"layout must be 'wide' or 'long'; got {layout!r}")
    if min_chars is None:
        min_chars = content_min_chars()
    if isinstance(min_chars, bool) or not isinstance(min_chars, int | np.integer) \
            or min_chars < 0:
        raise OptionError(f"min_chars must be a whole number of characters (0 or more); "
                          f"got {min_chars!r}")
    keys = [by] if isinstance(by, str) else [str(name) for name in by]
    corpus, tokens, labels = _workspace_inputs(source, tokens, labels)
    if isinstance(measures, str | Measure | dict) or not isinstance(measures, Sequence):
        measures = [measures]
    specs = [load_measure(item) for item in measures]
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        twice = sorted({name for name in names if names.count(name) > 1})
        given = ", ".join(str(item) for item, name in zip(measures, names, strict=True)
                          if name in twice)
        raise OptionError(f"two measures share the name {', '.join(map(repr, twice))} "
                          f"({given}): a file's name is its stem unless its YAML gives "
                          "name:, so rename a file or give each YAML its own name")
    if not specs and labels is None:
        raise OptionError("nothing to put in the panel: give measures=[...] and/or labels")
    if tokens is None:
        from nqp_text.analysis._inputs import passage_tokens

        tokens = passage_tokens(corpus, None, segmenter, workers)
    tables = [count_measure(corpus, spec, by=keys, tokens=tokens) for spec in specs]
    shares = _category_shares(corpus, keys, labels, framework, int(min_chars)) \
        if labels is not None else None
    base = _base(corpus, keys, tokens)
    _warn_multiple(base, keys)
    frame = _long(tables, shares, keys, base) if layout == "long" \
        else _wide(base, specs, tables, shares, keys, int(min_chars))
    frame.attrs["share_min_chars"] = int(min_chars)
    return frame


def _base(corpus: Any, keys: list[str], tokens: Any) -> pd.DataFrame:
    from nqp_text.analysis._groups import GROUP, attach_groups
    from nqp_text.measures.counting import group_units

    units = group_units(corpus, keys, tokens=tokens)
    table = units.totals.rename_axis(GROUP).reset_index()
    return attach_groups(table, units.groups, units.carried)


def _warn_multiple(base: pd.DataFrame, keys: list[str]) -> None:
    several = base[base["n_docs"] > 1]
    if len(several):
        first = ", ".join(f"{k}={several.iloc[0][k]}" for k in keys)
        warnings.warn(f"{len(several)} of {len(base)} panel rows combine several documents "
                      f"(first: {first}, {int(several.iloc[0]['n_docs'])} documents); their "
                      "counts are summed. Keep one document per unit-year (e.g. the full "
                      "annual report, not its summary) if that is not intended.",
                      UserWarning, stacklevel=3)


def _category_shares(corpus: Any, keys: list[str], labels: Any, framework: Any,
                     min_chars: int) -> dict[str, pd.DataFrame]:
    """The category shares over the content passages (``content``) and over all (``all``)."""
    from nqp_text.analysis.frequencies import passage_shares

    columns = [*keys, "category", "n_passages", "n_labelled", "passage_share", "share_low",
               "share_high"]
    return {name: passage_shares(corpus, labels, by=keys, min_chars=limit,
                                 framework=framework)[columns]
            for name, limit in (("content", min_chars), ("all", 0))}


def _long(tables: list[pd.DataFrame], shares: dict[str, pd.DataFrame] | None, keys: list[str],
          base: pd.DataFrame) -> pd.DataFrame:
    """The measure tables stacked, then the category shares as measures ``classifier``
    (content passages) and ``classifier_all`` (every passage), each share row with its
    unit-year's metadata and totals from ``base`` (as the measure rows)."""
    frames = list(tables)
    if shares is not None:
        from nqp_text.analysis.vocabulary import framework_labels

        zh = framework_labels()
        for name, table in (("classifier", shares["content"]), ("classifier_all", shares["all"])):
            table = table.merge(base, on=keys, how="left", validate="many_to_one")
            frames.append(table.rename(columns={"category": "dimension"}).assign(
                measure=name,
                label=lambda f: f["dimension"].map(zh).fillna(f["dimension"]),
                value=lambda f: f["passage_share"]))
    frame = pd.concat(frames, ignore_index=True, sort=False)
    order = {name: i for i, name in enumerate(dict.fromkeys(frame["measure"]))}
    frame = frame.assign(_m=frame["measure"].map(order)).sort_values(
        [*keys, "_m"], kind="stable").drop(columns="_m").reset_index(drop=True)
    return frame


def _wide(base: pd.DataFrame, specs: list[Measure], tables: list[pd.DataFrame],
          shares: dict[str, pd.DataFrame] | None, keys: list[str], min_chars: int
          ) -> pd.DataFrame:
    labels: dict[str, str] = {}
    frame = base.copy()
    stems: list[str] = []
    for spec, table in zip(specs, tables, strict=True):
        variables = _dimension_vars(spec)
        title = spec.title or spec.name
        prefix = spec.stem
        while prefix in stems:  # two measures with the same prefix: dt, dt2, dt3 ...
            prefix = f"{spec.stem}{len(stems) + 1}"
        stems.append(prefix)
        for dimension, var in variables.items():
            if len(variables) == 2 and dimension != TOTAL:
                continue  # one dimension: its columns would repeat the total's
            rows = table[table["dimension"] == dimension].set_index(keys)
            stem = f"{prefix}_{var}"[:26]
            label = _label(spec, dimension)
            columns = {stem: ("count", f"{label}词频"),
                       f"{stem}_p10k": ("per_10k_tokens", f"{label}每万词"),
                       f"{stem}_ln1p": ("ln1p", f"{label} ln(1+词频)")}
            if spec.weighted:
                columns[f"{stem}_w"] = ("weighted", f"{label}加权词频")
            for column, (source, text) in columns.items():
                if column in frame.columns:
                    raise OptionError(f"two panel variables would be named {column!r} (measure "
                                      f"{spec.name!r}); rename a dimension or set a prefix")
                values = rows[source].reindex(pd.MultiIndex.from_frame(frame[keys])
                                              if len(keys) > 1 else frame[keys[0]])
                frame[column] = values.to_numpy()
                labels[column] = _short(f"{text}（{title}）")
    if shares is not None:
        from nqp_text.analysis.vocabulary import framework_labels

        zh = framework_labels()
        index = pd.MultiIndex.from_frame(frame[keys]) if len(keys) > 1 else frame[keys[0]]
        for column, table in (("n_passages", shares["all"]), ("n_content", shares["content"])):
            counts = table.drop_duplicates(keys).set_index(keys)["n_passages"]
            frame[column] = counts.reindex(index).to_numpy()
        labels["n_content"] = f"内容段落数（≥{min_chars}字）"
        for name, suffix, text in (("content", "", f"≥{min_chars}字段落"),
                                   ("all", "_all", "全部段落")):
            for category, block in shares[name].groupby("category", sort=False):
                column = f"share_{_var(category)}"[:32 - len(suffix)] + suffix
                frame[column] = block.set_index(keys)["passage_share"].reindex(index).to_numpy()
                labels[column] = _short(f"{zh.get(category, category)}段落占比（分类器，{text}）")
    for column in frame.columns:
        labels.setdefault(column, _FIXED_LABELS.get(column, str(column)))
    frame.attrs["variable_labels"] = labels
    return frame


def _label(spec: Measure, dimension: str) -> str:
    """The Chinese label of a dimension's columns; a one-dimension measure's ``total``
    takes its dimension's label when one is given (人工智能, not 合计)."""
    only, *more = spec.dimensions
    if dimension == TOTAL and not more and only in spec.labels:
        return spec.label(only)
    return spec.label(dimension)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def stata_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """``frame`` with Stata-valid variable names and types, and the variable labels.

    Names that are not ASCII identifiers of ≤ 32 characters become ``v<i>`` with
    the original name as label; text columns become ``str`` (missing as
    ``""``), nullable integers and booleans become floats / int8.
    """
    given = dict(frame.attrs.get("variable_labels", {}))
    out = pd.DataFrame(index=range(len(frame)))
    labels: dict[str, str] = {}
    used: set[str] = set()
    for index, column in enumerate(frame.columns, start=1):
        name = str(column)
        if not _NAME.match(name) or name.lower() in used:
            name = f"v{index}"
        used.add(name.lower())
        values = frame[column].reset_index(drop=True)
        if pd.api.types.is_bool_dtype(values.dtype) or (
                pd.api.types.is_numeric_dtype(values.dtype)
                and (isinstance(values.dtype, pd.api.extensions.ExtensionDtype)
                     or values.hasnans)):
            values = values.astype("float64")
        elif not pd.api.types.is_numeric_dtype(values.dtype):
            values = values.map(_text).astype(object)
        out[name] = values.to_numpy()
        labels[name] = _short(given.get(column, _FIXED_LABELS.get(str(column), str(column))))
    return out, labels


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def write_panel(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a panel as ``.dta`` (Stata 118, labelled), ``.csv`` (BOM) or ``.parquet``, atomically.

    Example:
        >>> write_panel(panel("results", by=["stkcd", "year"], measures=["framework"]),
        ...             "panel.dta")  # doctest: +SKIP
    """
    from nqp_text._atomic import atomic_path
    from nqp_text._tables import write_csv, write_parquet

    path = Path(path)
    suffix = path.suffix.lower()
    plain = frame.reset_index(drop=True).copy()
    plain.attrs = {}
    if suffix == ".csv":
        return write_csv(plain, path)
    if suffix == ".parquet":
        return write_parquet(plain, path)
    if suffix == ".dta":
        data, labels = stata_frame(frame.reset_index(drop=True))
        long_text = [c for c in data.columns if data[c].dtype == object
                     and data[c].map(lambda v: len(v.encode("utf-8"))).max(initial=0) > 2045]
        with atomic_path(path) as tmp:
            data.to_stata(tmp, write_index=False, version=118, variable_labels=labels,
                          data_label="nqp_text panel", time_stamp=_STATA_TIME,
                          convert_strl=long_text or None)
        return path
    raise OptionError(f"{path}: unsupported panel format {suffix or '(no suffix)'}; "
                      "use .dta, .csv or .parquet", path=path)
