"""Paragraph starts in text whose line breaks were lost (database exports, Stata files, scrapes).

A report stored as one string marks its paragraphs only by indentation (runs
of U+3000, U+2003, U+00A0, tabs or two or more spaces; one such wide space
after a sentence end, after a short enumerated heading or between two long
runs of text; one ASCII space right after Chinese sentence-final punctuation,
where an export replaced each line break by a space) or by enumerations
(``一、``, ``（二）``, ``3.``) right after a sentence end. :func:`recover_breaks`
looks only at lines longer than :data:`LONG_LINE` characters (no real
paragraph of the shared corpora comes near it) and puts a line break before
every such paragraph start, keeping the indentation so that
:func:`nqp_text.io._paragraphs.paragraphs` starts a paragraph there. It says
how the paragraphs were found:

``lines``
    no line was too long: the line breaks are the paragraphs;
``indentation``
    a long line was cut at indentation runs or enumerations;
``model``
    a long line had neither: the paragraph starts were guessed by a trained
    boundary model from its sentence ends and headings
    (:mod:`nqp_text.io._boundaries`; a guess: mean boundary F1 0.59 on
    the held-out State Council reports, see the real-world corpora guide);
``sentences``
    a long line had no mark and the model found no paragraph start either: it
    stays one paragraph, and the passage splitter (``max_passage`` of
    :func:`nqp_text.read_corpus`) cuts it at sentence ends (or commas).

Example:
    >>> text, how = recover_breaks("　　一段很长的文字。" * 200 + "　　第二段。")
    >>> how, text.count("\\n")
    ('indentation', 200)
"""

from __future__ import annotations

import re

from nqp_text.io._boundaries import model_breaks

__all__ = ["recover_breaks", "recovery_meta", "combine_how", "LONG_LINE", "PARAGRAPHS_FROM"]

#: A line longer than this many characters is not taken as one paragraph.
LONG_LINE = 1500
#: The values of ``documents.paragraphs_from``.
PARAGRAPHS_FROM = ("lines", "indentation", "model", "sentences")
# What a document with several long lines says: the strongest mark any line had.
_RANK = ("lines", "sentences", "model", "indentation")

_WARNINGS = {
    "indentation": "no usable line breaks: paragraphs found from indentation and "
                   "enumerations (一、 （二） 3.)",
    "model": "no usable line breaks and no indentation: paragraph starts guessed by the "
             "boundary model from sentence ends and headings (about half of them right on "
             "held-out reports)",
    "sentences": "no usable line breaks and no indentation: passages are cut at sentence "
                 "ends (at most max_passage characters, default 1,500)",
}
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\f\x85\v]")
_SPACE = "\u3000\u2003\u00a0\t"
_END = "[。！？；：…!?;:][”’」』）》〉】〕)\"']*"
# An indentation run: two or more indentation characters (or spaces) anywhere, or one
# wide space right after a sentence end.
_INDENT_RUN = re.compile(f"(?:[{_SPACE} ]*[{_SPACE}][{_SPACE} ]*| {{2,}})")
_MARKER = (r"(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百\d]{1,3}[）)]"
           r"|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十百千\d]+[章节条部分编款])")
_MARKER_START = re.compile(_MARKER)
# One ASCII space right after Chinese sentence-final punctuation: a lost line break.
_SPACE_AFTER_CJK_END = re.compile(
    "(?:(?<=[。！？；：…])|(?<=[。！？；：…][”’」』）》〉】〕])) (?=[^ ])")
_HEADING = 40
_WORD_RUN = 8
_AFTER_END = re.compile(f"{_END}$")


def recover_breaks(text: str, *, long_line: int = LONG_LINE) -> tuple[str, str]:
    """``text`` with a line break before each recovered paragraph start, and how they were found.

    Lines up to ``long_line`` characters are left as they are.

    Example:
        >>> recover_breaks("短文。\\n第二段。")
        ('短文。\\n第二段。', 'lines')
        >>> marked = recover_breaks("总体要求。　　一、稳增长。　　二、促改革。", long_line=5)
        >>> marked[0].split("\\n")
        ['总体要求。', '　　一、稳增长。', '　　二、促改革。']
        >>> text, how = recover_breaks("总体要求。一、稳增长。二、促改革。", long_line=5)
        >>> how, text.split("\\n")
        ('model', ['总体要求。', '\\u3000一、稳增长。', '\\u3000二、促改革。'])
    """
    lines = _NEWLINES.sub("\n", text).split("\n")
    how = "lines"
    out = []
    for line in lines:
        if len(line.strip()) <= long_line:
            out.append(line)
            continue
        cuts = _cuts(line)
        if _marked(line, cuts):
            how = "indentation"
            bounds = [0, *cuts, len(line)]
            out.extend(line[a:b] for a, b in zip(bounds, bounds[1:], strict=False))
            continue
        guessed = model_breaks(line)
        if guessed:
            how = combine_how(how, "model")
            bounds = [0, *guessed, len(line)]
            out.append("\n\u3000".join(line[a:b] for a, b in zip(bounds, bounds[1:],
                                                                   strict=False)))
        elif cuts:
            how = "indentation"
            bounds = [0, *cuts, len(line)]
            out.extend(line[a:b] for a, b in zip(bounds, bounds[1:], strict=False))
        else:
            how = combine_how(how, "sentences")
            out.append(line)
    return "\n".join(out), how


def combine_how(found: str, how: str) -> str:
    """How a document's paragraphs were found, given two of its parts (the stronger mark wins).

    Example:
        >>> combine_how("sentences", "model"), combine_how("indentation", "model")
        ('model', 'indentation')
    """
    return max(found, how, key=_RANK.index)


def recovery_meta(how: str, meta: dict[str, object] | None = None) -> dict[str, object]:
    """A copy of ``meta`` with ``paragraphs_from`` and a warning, unless ``how`` is ``lines``.

    (``lines``, the normal case, is filled in by the corpus reader for every document.)

    Example:
        >>> recovery_meta("sentences")["warnings"]  # doctest: +ELLIPSIS
        ['no usable line breaks and no indentation: passages are cut at sentence ends...']
    """
    out = dict(meta or {})
    warning = _WARNINGS.get(how)
    if warning:
        out["paragraphs_from"] = how
        out["warnings"] = [*list(out.get("warnings") or []), warning]  # type: ignore[call-overload]
    return out


def _cuts(line: str) -> list[int]:
    """Offsets where a paragraph starts inside one long line (never at its start)."""
    cuts = {match.start() for match in _MARKER_START.finditer(line)
            if match.start() > 0 and _after_end(line, match.start())}
    cuts.update(match.start() for match in _SPACE_AFTER_CJK_END.finditer(line))
    runs = list(_INDENT_RUN.finditer(line))
    last = 0
    for index, match in enumerate(runs):
        start = match.start()
        if start == 0 or match.end() == len(line):
            continue
        previous = max((cut for cut in cuts if cut < start), default=last)
        if (len(match.group()) >= 2 or _after_end(line, start)
                or _is_heading(line[max(previous, last):start].strip())
                or _between_words(line, runs, index)):
            cuts.add(start)
            last = match.end()
    return sorted(cuts)


def _marked(line: str, cuts: list[int]) -> bool:
    """Whether a cut has a whitespace mark before it (enumerations alone are left to the model)."""
    return any(line[cut - 1:cut].isspace() or line[cut:cut + 1].isspace() for cut in cuts)


def _between_words(line: str, runs: list[re.Match[str]], index: int) -> bool:
    """A single wide space with a long run of text on each side (not ``省长　李　强``)."""
    before = runs[index - 1].end() if index else 0
    after = runs[index + 1].start() if index + 1 < len(runs) else len(line)
    match = runs[index]
    return match.start() - before >= _WORD_RUN and after - match.end() >= _WORD_RUN


def _is_heading(text: str) -> bool:
    """A short enumerated heading (``一、总体要求``): a wide space after it starts a paragraph."""
    return len(text) <= _HEADING and bool(_MARKER_START.match(text))


def _after_end(line: str, position: int) -> bool:
    return bool(_AFTER_END.search(line[max(0, position - 4):position]))
