"""The stages of ``nqp-text run``, one module each, in run order.

``hash`` (SHA-256 and ingest cache key of every input) → ``ingest`` (per file)
→ ``write`` (corpus tables, ``quality.csv``) → ``segment``, ``count``,
``classify`` (per document) → ``topics``, ``report_tables`` → ``trends`` →
``report``. Each stage is a function of a
:class:`~nqp_text.pipeline.context.RunContext` and the values earlier stages
returned; it states its cache key (what its entries or outputs depend on) and
returns what later stages need. :mod:`nqp_text.pipeline.run` wires them.

Example:
    >>> from nqp_text.pipeline.stages import count
    >>> count.trends_lexicon(RunOptions(lexicon="my.tsv"))  # doctest: +SKIP
    'my.tsv'
"""
