"""The run's documents table keeps each reader column's type when formats are mixed.

A PDF row has whole-number columns (``n_tables``, ``pages_read``) that a text file's
row lacks; stacking the per-file rows must leave them whole numbers with missing
values (``Int64``), as ``read_corpus`` gives them, not floats that pandas, R and Stata
show as ``3.0``.
"""

from __future__ import annotations

import pandas as pd

from nqp_text.pipeline.stages.ingest import _concat_documents


def test_a_column_only_pdf_rows_have_stays_whole_numbers() -> None:
    pdf = pd.DataFrame({"doc_id": pd.array(["p"], dtype="string"),
                        "n_tables": pd.array([3], dtype="Int64"),
                        "pdf_title": pd.array(["年报"], dtype="string"),
                        "unreadable_share": pd.array([0.25], dtype="Float64")})
    text = pd.DataFrame({"doc_id": pd.array(["t"], dtype="string")})
    for frames in ([pdf, text], [text, pdf]):
        merged = _concat_documents(frames).set_index("doc_id")
        assert str(merged["n_tables"].dtype) == "Int64"
        assert merged.loc["p", "n_tables"] == 3 and merged.loc["t", "n_tables"] is pd.NA
        assert str(merged["pdf_title"].dtype) == "string"
        assert str(merged["unreadable_share"].dtype) == "Float64"
