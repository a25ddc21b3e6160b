"""Remove web-page furniture and repeated lines; rejoin words broken across lines.

Every reader's cleaned text (paragraphs joined by ``"\\n"``) goes through
:func:`remove_boilerplate` unless ``keep_boilerplate=True`` (``--keep-boilerplate``).
A *line* below is one paragraph of that text. Removed are:

* stand-alone short lines (at most ``max_line_chars``, 40) matching a rule of
  the data file ``preprocess/data/boilerplate.yaml``: buttons and toolbars
  (下载 打印 全屏 收藏, 【字号：加大 还原 减小】), share bars, print-only
  notices (``[打印]仅打印内容``), related-link headers (相关报道：), source,
  date and byline lines (来源：XX日报, 时间：2026-02-09, 责任编辑：…), photo
  captions ending in a reporter's name, site footers; a label line alone
  (``来源：``) goes with the short value line after it, and a breadcrumb trail
  (``首页 / > / 政府信息公开 / >``) goes whole. Also: lines made only of
  buttons (``【打印本页】【关闭窗口】``); up to ``long_line_chars`` (160), a
  metadata row of ``label：value`` items (``发布日期：… 来源：… 浏览次数：…``)
  and lines no sentence can be (an ICP footer, ``当前位置：首页 > …``,
  ``抄送：…``); an attachment list (``附件：1.…`` and the enumerated lines
  continuing it); a signature block (organ-name lines directly above a
  stand-alone date); an annual report's form furniture (``form_patterns``: tick
  boxes ``√适用□不适用``, unit captions ``单位：元 币种：人民币``, a template
  question with its tick boxes, and a ``是否`` question line directly above a
  line holding only its answer); the licence or attribution notice closing a
  text (``licence_cues``: ``本作品……属于公有领域``, ``注：中文维基文库社群认为……``, a
  Creative Commons line), only in the run of lines ending the text and only
  when other text stands before it. A rule never cuts text out of a longer line;
* short lines that recur in at least half of the records of one JSONL/CSV
  file (:func:`recurring_lines`; at least :data:`MIN_RECORDS` records), except
  lines that end a sentence or a salutation (``各位代表：``) and enumerated
  headings (``三、2026年重点工作``), which recur in reports for good reasons;
* lines of any length that close at least half of the records of one JSONL/CSV
  file (:func:`recurring_trailers`; at least :data:`MIN_RECORDS` records): a
  licence notice every record ends with;
* the same kind of short lines that recur in at least half of the
  single-document files of one folder (:func:`folder_recurring`; at least
  :data:`MIN_FOLDER_DOCUMENTS` distinct files), removed by
  :func:`remove_lines` after each file's own rules (a corpus-level step of
  ``read_corpus`` and ``nqp-text run``, see :mod:`nqp_text.io.folders`).

:func:`furniture_mask` and :func:`line_mask` mark the lines, :func:`drop_lines`
removes them and :func:`shift_spans` moves character ranges of the text (a
PDF's OCR spans) onto the cleaned text.

:func:`rejoin_broken_words` (the plain-text and JSONL/CSV readers apply it to the
raw lines, before paragraphs are formed) joins a short CJK line that sits
inside a sentence between two CJK lines (``…支持双向`` /
``揭榜`` / ``挂帅机制…``), and a Latin word broken before a number
(``PM`` / ``2.5``), so that terms spanning the break are counted.

Example:
    >>> text, removed = remove_boilerplate("下载\\n打印\\n来源：解放日报\\n各位代表：\\n正文。")
    >>> text, removed
    ('各位代表：\\n正文。', ['下载', '打印', '来源：解放日报'])
    >>> rejoin_broken_words("推动科技成果转化，支持双向\\n揭榜\\n挂帅机制落地。")
    ('推动科技成果转化，支持双向揭榜挂帅机制落地。', 1)
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

__all__ = ["remove_boilerplate", "recurring_lines", "recurring_trailers", "rejoin_broken_words",
           "BoilerplateRules", "load_rules", "MIN_RECORDS", "SHOWN_LINES", "MIN_FOLDER_DOCUMENTS",
           "short_lines", "folder_recurring", "remove_lines", "furniture_mask", "line_mask",
           "drop_lines", "shift_spans"]

#: A file needs at least this many records before its recurring lines are removed.
MIN_RECORDS = 4
#: A closing run of common lines counts only while it holds at most this share of its text's
#: characters (a licence notice is short beside a report; records that repeat whole body
#: paragraphs, copies of one text, are not trimmed of them).
TRAILER_SHARE = 0.25
#: A folder needs at least this many distinct documents before its recurring lines are removed.
MIN_FOLDER_DOCUMENTS = 3
#: How many removed lines ``documents.boilerplate_removed`` shows per document.
SHOWN_LINES = 5

_TERMINAL = re.compile("[。！？；：…!?;:][”’」』）》〉】〕)\"']*$")
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百\d]+[）)]"
    r"|\d{1,3}[、.．](?!\d)|第[一二三四五六七八九十百千\d]+[章节条部分编款])"
)
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_SHORT_CJK = re.compile(f"[{_CJK}]{{1,6}}")
_ENDS_CJK = re.compile(f"[{_CJK}]$")
_STARTS_CJK = re.compile(f"^[{_CJK}]")
_ENDS_LATIN = re.compile(r"(?<![A-Za-z])[A-Za-z]{1,6}$")
_STARTS_NUMBER = re.compile(r"^\d")
_MIN_SENTENCE_PART = 10
_CLAUSE_MARK = re.compile("[，、,]")
_SALUTATION = re.compile(".{1,8}[：:！!]")


@dataclass(frozen=True)
class BoilerplateRules:
    """The compiled rules of a boilerplate data file."""

    max_line_chars: int
    patterns: tuple[re.Pattern[str], ...]
    labels: re.Pattern[str]
    label_value_chars: int
    separators: frozenset[str]
    breadcrumb_item_chars: int
    long_line_chars: int = 0
    long_patterns: tuple[re.Pattern[str], ...] = ()
    metadata_row: re.Pattern[str] | None = None
    list_label: re.Pattern[str] | None = None
    list_item_chars: int = 0
    signature: re.Pattern[str] | None = None
    signature_date: re.Pattern[str] | None = None
    form_patterns: tuple[re.Pattern[str], ...] = ()
    form_question: re.Pattern[str] | None = None
    form_answer: re.Pattern[str] | None = None
    licence_cues: re.Pattern[str] | None = None
    licence_line_chars: int = 0

    def matches(self, line: str) -> bool:
        """Whether ``line`` (stripped) is furniture by a pattern rule.

        A line of at most ``max_line_chars`` matching a pattern; a line of at
        most ``long_line_chars`` matching a long pattern or made wholly of
        ``label：value`` items of ``metadata_labels`` and buttons, or matching
        a ``form_patterns`` rule (an annual report's tick boxes and unit captions).
        """
        if len(line) <= self.max_line_chars and any(p.fullmatch(line) for p in self.patterns):
            return True
        if len(line) > self.long_line_chars:
            return False
        return (any(p.fullmatch(line) for p in self.long_patterns)
                or any(p.fullmatch(line) for p in self.form_patterns)
                or (self.metadata_row is not None and self.metadata_row.fullmatch(line)
                    is not None))


@functools.cache
def load_rules(path: str | None = None) -> BoilerplateRules:
    """The rules of ``path`` (default: the shipped ``preprocess/data/boilerplate.yaml``).

    Example:
        >>> load_rules().max_line_chars
        40
    """
    import yaml

    if path is None:
        text = resources.files("nqp_text.preprocess").joinpath("data/boilerplate.yaml") \
            .read_text(encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    data = yaml.safe_load(text)
    labels = "|".join(_spaced(label) for label in data["labels"])
    buttons = "|".join(re.escape(button) for button in data.get("buttons", ()))
    patterns = list(data["patterns"])
    if buttons:
        patterns.append(f"(?:{_BUTTON.format(buttons=buttons)}{_GAP})+")
    suffixes = "|".join(re.escape(suffix) for suffix in data.get("signature_suffixes", ()))
    list_labels = "|".join(_spaced(label) for label in data.get("list_labels", ()))
    return BoilerplateRules(
        max_line_chars=int(data["max_line_chars"]),
        patterns=tuple(re.compile(pattern) for pattern in patterns),
        labels=re.compile(f"(?:{labels})\\s*[:：]"),
        label_value_chars=int(data["label_value_chars"]),
        separators=frozenset(data["breadcrumb_separators"]),
        breadcrumb_item_chars=int(data["breadcrumb_item_chars"]),
        long_line_chars=int(data.get("long_line_chars", 0)),
        long_patterns=tuple(re.compile(pattern) for pattern in data.get("long_patterns", ())),
        metadata_row=_metadata_row(data.get("metadata_labels", ()), buttons,
                                   int(data.get("metadata_value_chars", 40))),
        list_label=re.compile(f"(?:{list_labels})\\s*\\d{{0,2}}\\s*(?:[:：](?P<value>.*))?")
        if list_labels else None,
        list_item_chars=int(data.get("list_item_chars", 0)),
        signature=re.compile(f"[^，。；：！？,;:!?]{{0,30}}(?:{suffixes})") if suffixes else None,
        signature_date=re.compile(data["signature_date"]) if "signature_date" in data else None,
        form_patterns=tuple(re.compile(pattern) for pattern in data.get("form_patterns", ())),
        form_question=re.compile(data["form_question"]) if "form_question" in data else None,
        form_answer=re.compile(data["form_answer"]) if "form_answer" in data else None,
        licence_cues=re.compile("|".join(f"(?:{cue})" for cue in data["licence_cues"]))
        if data.get("licence_cues") else None,
        licence_line_chars=int(data.get("licence_line_chars", 0)),
    )


_BUTTON = "[【\\[（(]?\\s*(?:{buttons})\\s*[】\\]）)]?[:：]?"
_GAP = "[\\s|｜/·•]*"
_NO_SENTENCE_END = "[^。！？；!?;]"


def _spaced(label: str) -> str:
    """A regular expression for ``label`` with optional spaces between its characters
    (``索 引 号``, ``标　　题`` in the tables of information-disclosure pages)."""
    return "\\s*".join(re.escape(char) for char in label)


def _metadata_row(labels: Iterable[str], buttons: str, value_chars: int
                  ) -> re.Pattern[str] | None:
    """A line made wholly of ``label：value`` items (and buttons), e.g.
    ``发布日期：2025-01-20 来源：某省人民政府办公厅 浏览次数：123``."""
    names = "|".join(_spaced(label) for label in labels)
    if not names:
        return None
    label = f"(?:{names})\\s*[:：]"
    value = f"(?:(?!{label}){_NO_SENTENCE_END}){{0,{value_chars}}}?"
    item = f"{label}\\s*{value}"
    if buttons:
        item = f"(?:{item}|{_BUTTON.format(buttons=buttons)})"
    return re.compile(f"[\\s|｜/【】\\[\\]]*(?:{item}[\\s|｜/【】\\[\\]·•]*)+")


def remove_boilerplate(text: str, recurring: Iterable[str] = (), *,
                       rules: BoilerplateRules | None = None) -> tuple[str, list[str]]:
    """``text`` without its furniture lines, and the removed lines in text order.

    ``recurring`` are lines to remove wherever they stand alone (from
    :func:`recurring_lines`).

    Example:
        >>> remove_boilerplate("首页\\n>\\n政府信息公开\\n>\\n报告\\n正文。")
        ('正文。', ['首页', '>', '政府信息公开', '>', '报告'])
    """
    return drop_lines(text, furniture_mask(text, recurring, rules=rules))


def furniture_mask(text: str, recurring: Iterable[str] = (), *,
                   rules: BoilerplateRules | None = None) -> list[bool]:
    """For each line of ``text`` (``text.split("\\n")``), whether it is furniture.

    The rules of :func:`remove_boilerplate`; with :func:`drop_lines` and
    :func:`shift_spans` a caller removes the lines and keeps character ranges
    (OCR spans) on the same text.

    Example:
        >>> furniture_mask("下载\\n正文。\\n某省人民政府\\n2025年1月20日")
        [True, False, True, True]
    """
    rules = rules or load_rules()
    stripped = [line.strip() for line in text.split("\n")]
    repeated = set(recurring)
    drop = [line in repeated or rules.matches(line) for line in stripped]
    for index, line in enumerate(stripped):
        if rules.labels.fullmatch(line):
            drop[index] = True
            following = stripped[index + 1] if index + 1 < len(stripped) else ""
            if following and len(following) <= rules.label_value_chars \
                    and not _TERMINAL.search(following):
                drop[index + 1] = True
    _drop_breadcrumbs(stripped, drop, rules)
    _drop_lists(stripped, drop, rules)
    _drop_signatures(stripped, drop, rules)
    _drop_form_questions(stripped, drop, rules)
    _drop_licence_trailer(stripped, drop, rules)
    return drop


def _drop_licence_trailer(stripped: list[str], drop: list[bool], rules: BoilerplateRules
                          ) -> None:
    """Mark the licence notice closing a text: the last lines that each hold a
    ``licence_cues`` cue (at most ``licence_line_chars`` long), behind any other
    furniture at the end, when a kept line of other text stands before them.

    A cue on a line that other text follows is not touched, nor a text that is
    nothing but a notice (it would be left empty).

    Example:
        >>> lines = ["会议号召，全国各族人民团结奋斗。",
        ...          "本作品来自全国人民代表大会的决议，所以属于公有领域。"]
        >>> drop = [False, False]
        >>> _drop_licence_trailer(lines, drop, load_rules())
        >>> drop
        [False, True]
    """
    cues = rules.licence_cues
    if cues is None:
        return
    end = len(stripped)
    notice = []
    while end:
        line = stripped[end - 1]
        if line and not drop[end - 1]:
            if len(line) > rules.licence_line_chars or not cues.search(line):
                break
            notice.append(end - 1)
        end -= 1
    if notice and any(line and not drop[index] for index, line in enumerate(stripped[:end])):
        for index in notice:
            drop[index] = True


def line_mask(text: str, lines: Iterable[str]) -> list[bool]:
    """For each line of ``text``, whether it is (stripped) one of ``lines``.

    Example:
        >>> line_mask("本站首页\\n正文。", ["本站首页"])
        [True, False]
    """
    wanted = set(lines)
    return [line.strip() in wanted for line in text.split("\n")]


def drop_lines(text: str, drop: list[bool]) -> tuple[str, list[str]]:
    """``text`` without the lines marked in ``drop``, and the non-empty removed lines (stripped).

    Example:
        >>> drop_lines("下载\\n正文。", [True, False])
        ('正文。', ['下载'])
    """
    lines = text.split("\n")
    kept = [line for line, gone in zip(lines, drop, strict=True) if not gone]
    removed = [line.strip() for line, gone in zip(lines, drop, strict=True)
               if gone and line.strip()]
    return "\n".join(kept), removed


def shift_spans(text: str, drop: list[bool], spans: Iterable[tuple[int, int]]
                ) -> list[tuple[int, int]]:
    """``spans`` (character ranges of ``text``) moved onto ``drop_lines(text, drop)[0]``.

    Each range keeps exactly the characters of kept lines it covered: it is
    clipped where removed lines cut its ends and shortened by the removed lines
    inside it; a range left with no character of a kept line is dropped. This
    keeps the OCR spans of a PDF (``ExtractedDocument.ocr_spans``) on the same
    text when furniture lines are removed before or inside them.

    Example:
        >>> text = "下载\\n扫描页正文。\\n打印\\n续文。"
        >>> drop = [True, False, True, False]
        >>> cleaned = drop_lines(text, drop)[0]
        >>> [cleaned[s:e] for s, e in shift_spans(text, drop, [(0, len(text))])]
        ['扫描页正文。\\n续文。']
    """
    lines = text.split("\n")
    pieces: list[tuple[int, int, int]] = []  # (old start, old end, new start) of kept lines
    old = new = 0
    for line, gone in zip(lines, drop, strict=True):
        if not gone:
            pieces.append((old, old + len(line), new))
            new += len(line) + 1
        old += len(line) + 1
    shifted: list[tuple[int, int]] = []
    for start, end in spans:
        covered = [(new_start + max(start, old_start) - old_start,
                    new_start + min(end, old_end) - old_start)
                   for old_start, old_end, new_start in pieces
                   if max(start, old_start) < min(end, old_end)]
        if covered:
            shifted.append((covered[0][0], covered[-1][1]))
    return shifted


def recurring_lines(texts: Iterable[str], *, rules: BoilerplateRules | None = None
                    ) -> frozenset[str]:
    """Short lines that stand alone in at least half of ``texts`` (and in at least 4 of them).

    Lines ending with sentence-final punctuation or a colon and enumerated
    headings are never counted: reports share such lines for good reasons.

    Example:
        >>> texts = [f"本站首页导航\\n各位代表：\\n第{i}份报告。" for i in range(4)]
        >>> sorted(recurring_lines(texts))
        ['本站首页导航']
    """
    rules = rules or load_rules()
    texts = list(texts)
    if len(texts) < MIN_RECORDS:
        return frozenset()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(short_lines(text, rules=rules))
    return frozenset(line for line, n in counts.items() if 2 * n >= len(texts))


def recurring_trailers(texts: Iterable[str]) -> frozenset[str]:
    """Lines of any length that close at least half of ``texts`` (and at least 4 of them).

    A line counts for a text when it is in the run of lines, each found in at least half
    of the texts, that ends the text after some other line and holds at most
    :data:`TRAILER_SHARE` of its characters: a licence notice or a site's closing
    statement that every record of an export carries (the State Council
    reports of Wikisource end with the same two paragraphs of licence text, far longer
    than the short lines of :func:`recurring_lines`). The text itself, and a line that
    only recurs inside the texts (``各位代表：``), are never counted.

    Example:
        >>> body = "加快发展新质生产力，推动科技创新和产业创新深度融合。" * 3
        >>> texts = [f"各位代表：\\n第{i}份报告：{body}\\n本作品属于公有领域，依法不受著作权保护。"
        ...          for i in range(4)]
        >>> sorted(recurring_trailers(texts))
        ['本作品属于公有领域，依法不受著作权保护。']
    """
    lines = [[line.strip() for line in text.split("\n") if line.strip()] for text in texts]
    if len(lines) < MIN_RECORDS:
        return frozenset()
    counts = Counter(line for text in lines for line in set(text))
    common = {line for line, n in counts.items() if 2 * n >= len(lines)}
    closing: Counter[str] = Counter()
    for text in lines:
        end = len(text)
        while end and text[end - 1] in common:
            end -= 1
        run = text[end:]
        if end and sum(map(len, run)) <= TRAILER_SHARE * sum(map(len, text)):
            closing.update(set(run))
    return frozenset(line for line, n in closing.items() if 2 * n >= len(lines))


def short_lines(text: str, *, rules: BoilerplateRules | None = None) -> frozenset[str]:
    """The stand-alone lines of ``text`` (stripped) that may count as recurring.

    At most ``max_line_chars`` (40) characters, not ending a sentence or a
    salutation, not an enumerated heading.

    Example:
        >>> sorted(short_lines("分享到：微信\\n各位代表：\\n一、总体要求\\n正文。"))
        ['分享到：微信']
    """
    rules = rules or load_rules()
    return frozenset(line.strip() for line in text.split("\n")
                     if _may_recur(line.strip(), rules.max_line_chars))


def folder_recurring(documents: Iterable[frozenset[str]]) -> frozenset[str]:
    """Lines in at least half of ``documents`` (each the :func:`short_lines` of one
    distinct document of a folder), and in at least :data:`MIN_FOLDER_DOCUMENTS`.

    Example:
        >>> docs = [frozenset({"本站首页", f"标题{i}"}) for i in range(3)]
        >>> sorted(folder_recurring(docs)), sorted(folder_recurring(docs[:2]))
        (['本站首页'], [])
    """
    documents = list(documents)
    if len(documents) < MIN_FOLDER_DOCUMENTS:
        return frozenset()
    counts: Counter[str] = Counter(line for lines in documents for line in lines)
    return frozenset(line for line, n in counts.items()
                     if 2 * n >= len(documents) and n >= MIN_FOLDER_DOCUMENTS)


def remove_lines(text: str, lines: Iterable[str]) -> tuple[str, list[str]]:
    """``text`` without the stand-alone lines (compared stripped) in ``lines``, and those removed.

    Example:
        >>> remove_lines("本站首页\\n正文。\\n 本站首页", ["本站首页"])
        ('正文。', ['本站首页', '本站首页'])
    """
    return drop_lines(text, line_mask(text, lines))


def rejoin_broken_words(text: str) -> tuple[str, int]:
    """Join lines broken inside a word; return the text and the number of breaks joined.

    Joined: a line of 1-6 CJK characters between a line that ends inside a
    sentence (at least 10 characters, a comma or enumeration comma in it, no
    sentence-final punctuation at its end, not a heading, ending with a CJK
    character) and a line that starts with a CJK character and is not a short
    line of its own (``各位代表：`` after a speaker's name); a line ending in a
    short Latin word inside a sentence before a line starting with a digit
    (``PM`` / ``2.5``).

    Example:
        >>> rejoin_broken_words("年均浓度下降，全市PM\\n2.5年均浓度为26微克。")
        ('年均浓度下降，全市PM2.5年均浓度为26微克。', 1)
    """
    lines = text.split("\n")
    out: list[str] = []
    joined = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        if out and _inside_sentence(out[-1]):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            after = following.strip()
            if (_SHORT_CJK.fullmatch(line.strip()) and _ENDS_CJK.search(out[-1])
                    and _STARTS_CJK.search(after) and not _HEADING.match(after)
                    and not _SALUTATION.fullmatch(after)):
                out[-1] = out[-1].rstrip() + line.strip() + following.strip()
                joined += 1
                index += 2
                continue
            if _ENDS_LATIN.search(out[-1]) and _STARTS_NUMBER.match(line.strip()):
                out[-1] = out[-1].rstrip() + line.strip()
                joined += 1
                index += 1
                continue
        out.append(line)
        index += 1
    return "\n".join(out), joined


def _inside_sentence(line: str) -> bool:
    line = line.strip()
    return (len(line) >= _MIN_SENTENCE_PART and not _TERMINAL.search(line)
            and not _HEADING.match(line) and bool(_CLAUSE_MARK.search(line)))


def _may_recur(line: str, max_chars: int) -> bool:
    return (0 < len(line) <= max_chars and not _TERMINAL.search(line)
            and not _HEADING.match(line))


def _drop_breadcrumbs(lines: list[str], drop: list[bool], rules: BoilerplateRules) -> None:
    """Mark separator lines and the short items beside them (a breadcrumb trail)."""
    def item(index: int) -> bool:
        line = lines[index]
        return (0 < len(line) <= rules.breadcrumb_item_chars and not _TERMINAL.search(line)
                and line not in rules.separators)

    for index, line in enumerate(lines):
        if line not in rules.separators:
            continue
        drop[index] = True
        for step in (-1, 1):
            neighbour = index + step
            if 0 <= neighbour < len(lines) and item(neighbour):
                drop[neighbour] = True


def _drop_lists(lines: list[str], drop: list[bool], rules: BoilerplateRules) -> None:
    """Mark a short list-label line (``附件：1.某某清单``, ``附件下载：``, ``附件``) and,
    when the list starts on the label's line, the short enumerated lines that continue
    it (``2.某某名单``). After a bare label (``附件``) the lines stay: an annex of a
    report (``附件`` / ``2026年民生实事`` / ``1.新建…``) is content."""
    if rules.list_label is None:
        return
    index = 0
    while index < len(lines):
        line = lines[index]
        match = rules.list_label.fullmatch(line) if len(line) <= rules.max_line_chars else None
        if match and not _TERMINAL.search(match["value"] or ""):
            drop[index] = True
            index += 1
            while (match["value"] and index < len(lines)
                   and 0 < len(lines[index]) <= rules.list_item_chars
                   and _LIST_ITEM.match(lines[index]) and not _TERMINAL.search(lines[index])):
                drop[index] = True
                index += 1
            continue
        index += 1


_LIST_ITEM = re.compile(r"\d{1,2}\s*[.．、]\s*\S")


def _drop_signatures(lines: list[str], drop: list[bool], rules: BoilerplateRules) -> None:
    """Mark a signature block: short organ-name lines (``某省人民政府``) directly before a
    stand-alone date line (``2025年1月20日``, ``二〇二五年一月二十日``), and that date."""
    if rules.signature is None or rules.signature_date is None:
        return
    for index, line in enumerate(lines):
        if not rules.signature_date.fullmatch(line):
            continue
        above = index - 1
        while above >= 0 and not lines[above]:
            above -= 1
        names = []
        while above >= 0 and len(lines[above]) <= rules.label_value_chars \
                and rules.signature.fullmatch(lines[above]) and not _HEADING.match(lines[above]):
            names.append(above)
            above -= 1
        if names:
            for name in names:
                drop[name] = True
            drop[index] = True


def _drop_form_questions(lines: list[str], drop: list[bool], rules: BoilerplateRules) -> None:
    """Mark a template question (``公司是否需要遵守特殊行业的披露要求``) directly above a
    stand-alone line holding only its answer (``否``, ``□是 √否``), as an annual report's
    form prints them; the answer line is marked by ``form_patterns`` already."""
    if rules.form_question is None or rules.form_answer is None:
        return
    for index, line in enumerate(lines[:-1]):
        if (len(line) <= rules.long_line_chars and rules.form_question.fullmatch(line)
                and rules.form_answer.fullmatch(lines[index + 1])):
            drop[index] = True
