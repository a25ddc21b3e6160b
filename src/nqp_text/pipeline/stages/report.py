"""Stage ``report``: ``report.html`` from every table of the run, last.

Inputs: the SHA-256 of every output written so far, the CJK font, the topic
options shown on the page and the run's warnings. Without a CJK font, or when
the page fails, every table is still written and the reason is an error
diagnostic (an older page is removed: it would mislead).

Example:
    >>> from nqp_text.pipeline.stages.report import report
    >>> report(context)  # doctest: +SKIP
"""

from __future__ import annotations

from nqp_text.pipeline.cache import hash_config
from nqp_text.pipeline.context import RunContext, quietly


def report(context: RunContext) -> None:
    """Build ``report.html`` (or find it up to date)."""
    from nqp_text.viz.fonts import find_cjk_font
    from nqp_text.viz.report import build_report

    options = context.options
    with context.stage("report") as record:
        record.items += 1
        try:
            font = find_cjk_font()
        except Exception as error:  # no CJK font: every table is written, the page is not
            record.failed += 1
            record.extra["error"] = str(error)
            (context.out / "report.html").unlink(missing_ok=True)  # an older page would mislead
            _no_report(context, str(error))
            return
        inputs = {name: digest for name, digest in context.records.digests.items()
                  if name != "report.html"}
        shown = context.diagnostics.ordered()
        key = hash_config({"inputs": inputs, "font": str(font.path), "k": options.k,
                           "seed": options.seed, "passes": options.passes,
                           "warnings": [d.as_dict() for d in shown]})
        try:
            record.computed += context.records.produce(
                "report.html", key,
                lambda target: quietly(build_report, context.out, out=target, k=options.k,
                                       seed=options.seed, passes=options.passes, font=font,
                                       warnings=shown))
        except Exception as error:  # the tables stand on their own; say why the page is missing
            record.failed += 1
            record.extra["error"] = f"{type(error).__name__}: {error}"
            (context.out / "report.html").unlink(missing_ok=True)
            _no_report(context, record.extra["error"])


def _no_report(context: RunContext, reason: str) -> None:
    context.diagnostics.add("output_missing", f"report.html was not written: {reason} (every "
                            "table is written)", stage="report", severity="error")
