"""The pipeline's table writers, defined in :mod:`nqp_text._tables` (below every layer).

Kept so that ``from nqp_text.pipeline.outputs import write_csv`` goes on working.

Example:
    >>> from nqp_text.pipeline.outputs import write_csv
    >>> write_csv.__module__
    'nqp_text._tables'
"""

from __future__ import annotations

from nqp_text._tables import (
    FLOAT_FORMAT,
    ROW_GROUP_ROWS,
    ParquetStream,
    dumps_json,
    neutralize_formula,
    to_arrow,
    write_csv,
    write_json,
    write_parquet,
)

__all__ = ["FLOAT_FORMAT", "ROW_GROUP_ROWS", "ParquetStream", "dumps_json",
           "neutralize_formula", "to_arrow", "write_csv", "write_json", "write_parquet"]
