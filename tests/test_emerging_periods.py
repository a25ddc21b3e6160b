"""``emerging_terms``: "the last five years" are calendar years unless asked otherwise, the
periods compared are in the output, and a year without documents inside one is said."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from nqp_text.analysis.keyness import emerging_terms
from nqp_text.corpus import Corpus
from nqp_text.diagnostics import NqpWarning
from nqp_text.errors import InputError

#: 2012-2025 without 2014 and 2022; 数据要素 from 2020 on, 改革 every year.
_YEARS = [year for year in range(2012, 2026) if year not in (2014, 2022)]


def _corpus() -> tuple[Corpus, pd.DataFrame]:
    documents = pd.DataFrame({"doc_id": [f"r{year}" for year in _YEARS], "year": _YEARS,
                              "status": "ok"})
    texts = [("推进数据要素改革" if year >= 2020 else "深化改革开放") * 3 for year in _YEARS]
    passages = pd.DataFrame({
        "doc_id": documents["doc_id"], "passage_id": documents["doc_id"] + ":0", "seq": 0,
        "year": _YEARS, "text": texts, "start": 0, "end": [len(text) for text in texts]})
    tokens = pd.DataFrame({"passage_id": passages["passage_id"],
                           "tokens": [["推进", "数据要素", "改革"] * 3 if year >= 2020
                                      else ["深化", "改革", "开放"] * 3 for year in _YEARS]})
    return Corpus(documents, passages), tokens


def _run(**options: object) -> tuple[pd.DataFrame, list[str]]:
    corpus, tokens = _corpus()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = emerging_terms(corpus, ["数据要素", "改革"], tokens=tokens, min_count=1,
                               **options)
    return table.set_index("term"), [str(w.message) for w in caught
                                     if issubclass(w.category, NqpWarning)]


def test_calendar_years_by_default_with_the_gaps_said() -> None:
    table, said = _run()
    assert table.attrs["years"] == "calendar"
    assert table.attrs["late"] == [2021, 2023, 2024, 2025]
    assert table.attrs["early"] == [2016, 2017, 2018, 2019, 2020]
    assert table["late_period"].unique().tolist() == ["2021-2025 (no document in 2022)"]
    assert table["early_period"].unique().tolist() == ["2016-2020"]
    assert table.loc["数据要素", "early_count"] == 3  # 2020 only
    assert table.loc["数据要素", "late_count"] == 12
    assert len(said) == 1 and said[0].startswith(
        "the late period 2021-2025 of emerging_terms has no document for year 2022: its rates "
        "are over the other 4 year(s)")


def test_years_with_documents_on_request() -> None:
    table, said = _run(years="with_documents")
    assert table.attrs["years"] == "with_documents"
    assert table.attrs["late"] == [2020, 2021, 2023, 2024, 2025]
    assert table.attrs["early"] == [2015, 2016, 2017, 2018, 2019]
    assert table["late_period"].iloc[0] == "2020, 2021, 2023, 2024, 2025"
    assert table.loc["数据要素", "early_count"] == 0 and table.loc["数据要素", "new"]
    assert said == []


def test_an_explicit_late_period_and_calendar_years_before_it() -> None:
    table, said = _run(late=(2023, 2025), period=3)
    assert table.attrs["late"] == [2023, 2024, 2025]
    assert table.attrs["early"] == [2020, 2021]  # 2020-2022, no document in 2022
    assert table["early_period"].iloc[0] == "2020-2022 (no document in 2022)"
    assert table["late_period"].iloc[0] == "2023, 2024, 2025"
    assert len(said) == 1 and "early period 2020-2022" in said[0]


def test_calendar_years_need_years() -> None:
    corpus, tokens = _corpus()
    corpus.documents["province"] = ["甲", "乙"] * (len(_YEARS) // 2)
    with pytest.raises(InputError, match="years='calendar' needs years as the 'province' values"):
        emerging_terms(corpus, ["改革"], by="province", tokens=tokens, years="calendar")
    with pytest.raises(ValueError, match="years='fiscal'"):
        emerging_terms(corpus, ["改革"], tokens=tokens, years="fiscal")
