"""What an annual report's file name says: stock code, fiscal year, firm, report type.

A-share annual reports reach researchers under many names: the exchanges' and
cninfo's announcement titles (``平安银行：2023年年度报告.pdf``), the SSE's
periodic-report URLs (``600519_2023_n.pdf``), and whatever a downloader or a
browser made of them (``000001_2023_平安银行_2023年年度报告_2024-03-15.pdf``,
``000002万科A2012年年度报告.(1848k).PDF``, ``…-20170408(2)(1).pdf``).
:func:`parse_report_name` reads them all into a :class:`ReportName`:

``stkcd``
    the six-digit stock code as text (``000001``: leading zeros kept);
``year``
    the **fiscal** year the report covers (``2023`` in ``2023年年度报告_2024-03-15``),
    never the publication date;
``firm``
    the firm's name as written in the file name (``万科A``), when there is one;
``report_type``
    ``full``, ``summary`` (摘要), ``english`` (英文版), ``corrected`` (更正后,
    更新后, 修订版: a re-issued full report) or ``cancelled`` (已取消);
``date``
    the publication date written in the name (ISO ``2024-03-15``), if any.

Names that are not annual reports (half-year and quarterly reports, notices
*about* an annual report such as ``…年度报告的更正公告``, any other file) give
``None``. The words and markers are data: ``io/data/report_names.yaml``.

:func:`select_reports` decides, among the documents of one firm and fiscal
year, which one is used: the latest full Chinese report (a corrected re-issue
is later than the original; then the later publication date; then the later
path). The others keep their row with ``status="superseded"``, an ``error``
saying why, and ``superseded_by`` naming the document used.

Example:
    >>> parse_report_name("000001_2023_平安银行_2023年年度报告_2024-03-15.pdf")
    ReportName(stkcd='000001', year=2023, firm='平安银行', report_type='full', date='2024-03-15')
    >>> parse_report_name("600519_2023_nzy.pdf").report_type
    'summary'
    >>> parse_report_name("2024年政府工作报告.pdf") is None
    True
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from dataclasses import asdict, dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["ReportName", "parse_report_name", "select_reports", "mark_superseded",
           "with_language", "REPORT_TYPES",
           "REPORT_COLUMNS", "SUPERSEDED"]

#: The values of ``report_type``.
REPORT_TYPES = ("full", "summary", "english", "corrected", "cancelled")
#: ``documents`` columns an annual report's file name fills (``year`` is the core column).
REPORT_COLUMNS = ["stkcd", "firm", "report_type", "report_date", "superseded_by"]
#: The status of a report another document of the same firm and year replaces.
SUPERSEDED = "superseded"

_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")
# Download artefacts at the end of a name: "(2)(1)", ".(1848k)", " (3)", "[1]", " - 副本".
_DOWNLOAD_TAIL = re.compile(
    r"(?:[\s._-]*(?:\(\s*\d+(?:\.\d+)?\s*[kKmM]?[bB]?\s*\)|\[\d{1,2}\]|-\s*副本|副本))+$")
_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_./]?(0[1-9]|1[0-2])[-_./]?(0[1-9]|[12]\d|3[01])"
                   r"(?!\d)")
_DATE_CJK = re.compile(r"(?<!\d)((?:19|20)\d{2})年(1[0-2]|0?[1-9])月(3[01]|[12]\d|0?[1-9])日")
_CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
_SSE = re.compile(r"^(\d{6})_((?:19|20)\d{2})_([a-z0-9]{1,4})$")
_FISCAL = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年\s*)?(?:年度|年报|annual)",
                     re.IGNORECASE)
_ANNUAL_FIRST = re.compile(r"annual[\s_-]*report[\s_-]*((?:19|20)\d{2})(?!\d)", re.IGNORECASE)
_CODE_YEAR = re.compile(r"(?<!\d)\d{6}\s*[_\-\s]\s*((?:19|20)\d{2})(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_PHRASE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)\s*(?:年\s*)?"
                          r"(?:年度报告|年度报表|年报|年度|annual\s*report)?", re.IGNORECASE)
_CJK_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "一": "1", "二": "2", "三": "3",
               "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CJK_YEAR = re.compile(f"([{''.join(_CJK_DIGITS)}]{{4}})(?=年)")
_EXCHANGE = re.compile(r"(?i)(?<![a-z])(?:sz|sh|bj|sse|szse)(?![a-z])|\.(?:sz|sh|bj)\b")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_SEPARATORS = re.compile(r"[_\-:：,，;；()（）\[\]【】《》<>\"“”'‘’|/+=~]+")


@dataclass(frozen=True)
class ReportName:
    """What one annual report's file name says (see the module docstring)."""

    stkcd: str | None
    year: int | None
    firm: str | None
    report_type: str
    date: str | None = None

    def as_columns(self) -> dict[str, Any]:
        """The ``documents`` columns of this name (``report_date`` for ``date``)."""
        values = asdict(self)
        values["report_date"] = values.pop("date")
        values.pop("year")
        return values


@functools.lru_cache(maxsize=1)
def _conventions() -> dict[str, Any]:
    import yaml

    text = resources.files("nqp_text.io").joinpath("data/report_names.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    types = data["report_types"]
    unknown = set(types) - set(REPORT_TYPES)
    if unknown:  # a typo in the data file must not silently add a report type
        raise ValueError(f"report_names.yaml: unknown report type(s) {sorted(unknown)}")
    return data


def _fold(text: str) -> str:
    """Full-width letters, digits and brackets to ASCII (``：`` → ``:``, ``（`` → ``(``)."""
    return unicodedata.normalize("NFKC", text)


def parse_report_name(name: str | os.PathLike[str]) -> ReportName | None:
    """Read an annual report's file name; ``None`` when it is not one.

    Example:
        >>> parse_report_name("000002万科A2012年年度报告.(1848k).PDF")
        ReportName(stkcd='000002', year=2012, firm='万科A', report_type='full', date=None)
        >>> parse_report_name("平安银行：2023年年度报告摘要（更正后）.pdf").report_type
        'summary'
    """
    conventions = _conventions()
    base = Path(name).name
    stem = _SUFFIX.sub("", base) if _SUFFIX.search(base) else base
    stem = _DOWNLOAD_TAIL.sub("", _fold(stem)).strip(" ._-")
    stem = _CJK_YEAR.sub(lambda m: "".join(_CJK_DIGITS[c] for c in m.group(1)), stem)
    lower = stem.lower()
    sse = _SSE.match(lower)
    if sse:
        return _sse_name(sse, conventions["sse_kinds"])
    if any(word in lower for word in conventions["not_annual"]):
        return None
    if not any(word in lower for word in conventions["annual"]):
        return None
    dates = [f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
             for pattern in (_DATE, _DATE_CJK) for m in pattern.finditer(stem)]
    rest = _DATE_CJK.sub(" ", _DATE.sub(" ", stem))
    code = _CODE.search(rest)
    year = _fiscal_year(rest)
    report_type = next((kind for kind, markers in conventions["report_types"].items()
                        if any(marker in rest.lower() for marker in markers)), "full")
    return ReportName(code.group(1) if code else None, year, _firm(rest, conventions),
                      report_type, max(dates) if dates else None)


def with_language(report: ReportName, text: str) -> ReportName:
    """``report`` as ``english`` when its text is in English whatever its name says.

    A name cannot always tell (``Ping An Bank 2023 Annual Report.pdf``); the text
    can: fewer than one Chinese character in ten letters means an English report.

    Example:
        >>> with_language(ReportName("000001", 2023, None, "full"), "Annual Report").report_type
        'english'
    """
    if report.report_type != "full":
        return report
    cjk = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    if latin and cjk < 0.1 * (cjk + latin):
        return replace(report, report_type="english")
    return report


def _sse_name(match: re.Match[str], kinds: dict[str, Any]) -> ReportName | None:
    code, year, kind = match.groups()
    if kind not in kinds or kind == "not_annual":
        return None
    return ReportName(code, int(year), None, str(kinds[kind]))


def _fiscal_year(text: str) -> int | None:
    """The year before 年度/年报/annual, else after 'annual report', else after the code."""
    for pattern in (_FISCAL, _ANNUAL_FIRST, _CODE_YEAR, _YEAR):
        found = pattern.search(text)
        if found:
            return int(found.group(1))
    return None


def _firm(text: str, conventions: dict[str, Any]) -> str | None:
    """The first piece of the name left after code, years, dates and report words go."""
    rest = _EXCHANGE.sub(" ", _CODE.sub(" ", text))
    rest = _YEAR_PHRASE.sub(" ", rest)
    words = [*conventions["annual"], *(marker for markers in conventions["report_types"].values()
                                       for marker in markers), "全文", "正文"]
    for word in sorted(words, key=len, reverse=True):
        rest = re.sub(re.escape(word), " ", rest, flags=re.IGNORECASE)
    stop = {word.lower() for word in conventions["not_firm"]}
    for piece in _SEPARATORS.split(rest):
        piece = " ".join(piece.strip(" ._").split())
        if piece and piece.lower() not in stop \
                and re.search(r"[\u4e00-\u9fff]|[A-Za-z]{3}", piece):
            return piece
    return None


def select_reports(rows: list[dict[str, Any]]) -> dict[int, tuple[str, str]]:
    """Which documents another report of the same firm and fiscal year replaces.

    ``rows`` are documents with ``doc_id``, ``path``, ``status``, ``stkcd``,
    ``firm``, ``year``, ``report_type`` and ``report_date``. The ``ok`` rows with
    a report type and a year are grouped by ``(stkcd, year)``; a name without a
    code (``平安银行：2023年年度报告``) joins the code other files give the same
    firm name, else groups by the firm name. In each group, the one
    used is the first by: full Chinese report (``full`` or ``corrected``) before
    ``summary``, ``english``, ``cancelled``; then a corrected re-issue before the
    original; then the later publication date in the name; then the later path.
    Returns ``{row index: (doc_id used, reason)}`` for every other row of a group.

    Example:
        >>> rows = [{"doc_id": "a", "path": "x_2023年年度报告.pdf", "status": "ok",
        ...          "stkcd": "000001", "year": 2023, "report_type": "full", "report_date": None},
        ...         {"doc_id": "b", "path": "x_2023年年度报告摘要.pdf", "status": "ok",
        ...          "stkcd": "000001", "year": 2023, "report_type": "summary",
        ...          "report_date": None}]
        >>> select_reports(rows)[1][0]
        'a'
    """
    rank = {"full": 0, "corrected": 0, "summary": 1, "english": 2, "cancelled": 3}
    codes: dict[str, set[str]] = {}  # firm name -> codes other files give it
    for row in rows:
        if _present(row.get("firm")) and _present(row.get("stkcd")):
            codes.setdefault(str(row["firm"]), set()).add(str(row["stkcd"]))
    groups: dict[tuple[str, int], list[int]] = {}
    for index, row in enumerate(rows):
        if row.get("status") != "ok" or not _present(row.get("report_type")) \
                or not _present(row.get("year")):
            continue
        if _present(row.get("stkcd")):
            unit = str(row["stkcd"])
        elif _present(row.get("firm")):
            known = codes.get(str(row["firm"]), set())
            unit = next(iter(known)) if len(known) == 1 else str(row["firm"])
        else:
            continue
        groups.setdefault((unit, int(row["year"])), []).append(index)
    replaced: dict[int, tuple[str, str]] = {}
    for (stkcd, year), members in groups.items():
        if len(members) < 2:
            continue

        def order(index: int) -> tuple[Any, ...]:
            row = rows[index]
            kind = str(row["report_type"])
            date = str(row["report_date"]) if _present(row.get("report_date")) else ""
            return (-rank.get(kind, 9), kind == "corrected", date, str(row["path"]))

        used = max(members, key=order)
        chosen = rows[used]
        for index in members:
            if index == used:
                continue
            row = rows[index]
            replaced[index] = (str(chosen["doc_id"]), (
                f"{row['report_type']} report of {stkcd} for {year}; the "
                f"{chosen['report_type']} report {chosen['doc_id']} "
                f"({Path(str(chosen['path'])).name}) is used"))
    return replaced


def _present(value: Any) -> bool:
    if value is None:
        return False
    try:
        return not bool(value != value)  # NaN / NA
    except TypeError:  # pd.NA compares to NA
        return False


def mark_superseded(documents: pd.DataFrame) -> pd.DataFrame:
    """``documents`` with the reports :func:`select_reports` replaces marked as such.

    Their ``status`` becomes ``"superseded"``, ``error`` says which report is
    used instead and ``superseded_by`` names it; every other row is unchanged.
    A frame without a ``report_type`` column is returned as it is. Used by
    :func:`nqp_text.read_corpus` and by the pipeline after it has put the
    documents of all files together.

    Example:
        >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "path": ["1.pdf", "2.pdf"],
        ...     "status": ["ok", "ok"], "error": [None, None], "stkcd": ["000001"] * 2,
        ...     "year": [2023, 2023], "report_type": ["summary", "full"],
        ...     "report_date": [None, None]})
        >>> mark_superseded(docs)[["status", "superseded_by"]].values.tolist()
        [['superseded', 'b'], ['ok', <NA>]]
    """
    if "report_type" not in documents.columns:
        return documents
    columns = ["doc_id", "path", "status", "stkcd", "firm", "year", "report_type",
               "report_date"]
    rows = documents.reindex(columns=columns).to_dict("records")
    replaced = select_reports(rows)
    documents = documents.copy()
    by = [None] * len(documents)
    status = documents["status"].astype(object).tolist()
    error = documents["error"].astype(object).tolist()
    for index, (used, reason) in replaced.items():
        by[index], status[index], error[index] = used, SUPERSEDED, reason
    documents["status"] = pd.array(status, dtype="string")
    documents["error"] = pd.array([None if not _present(e) else e for e in error], dtype="string")
    documents["superseded_by"] = pd.array(by, dtype="string")
    for name in REPORT_COLUMNS:  # text even when all missing (cached entries read back as None)
        if name in documents.columns:
            documents[name] = documents[name].astype("string")
    return documents
