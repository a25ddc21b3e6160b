"""Character-level normalisation of Chinese text, the same for every reader.

What :func:`normalize_text` does, in this order:

1. removes zero-width and invisible format characters (U+200B-U+200F, U+2060-U+2064,
   U+FEFF, soft hyphen, bidi controls);
2. maps Kangxi radicals (U+2F00-U+2FDF, via NFKC) and CJK Radicals Supplement characters
   (U+2E80-U+2EFF, via the Unicode ``Equivalent_Unified_Ideograph`` table shipped in
   ``data/radicals_supplement.tsv``) to the unified ideograph they stand for (PDF fonts
   often map ``大`` to ``⼤``), CJK compatibility ideographs to their canonical
   ideograph, Latin ligatures (``ﬁ``) and mathematical italic/bold letters and
   digits (``𝑋``, from equation editors) to plain ones; nothing else is NFKC-normalised,
   because full NFKC would turn Chinese punctuation ``，：；（）`` into ASCII;
3. turns full-width ASCII letters, digits and space into half-width, and the full-width
   symbols that are not Chinese punctuation (``＃＄％＆＊＋／＜＝＞＠＼＾＿｀｜``) into
   ASCII; ``．`` and ``－`` become ``.`` and ``-`` only between ASCII letters or digits
   (``３．５％`` → ``3.5%``, ``4－1`` → ``4-1``). Chinese punctuation
   (``，。、：；！？（）《》〈〉【】〔〕［］｛｝“”‘’…—～·``) stays full-width;
4. collapses every run of horizontal whitespace (tabs, no-break and ideographic spaces)
   inside a line to one space and strips line ends; line breaks are kept as they are
   (joining lines is the reader's job; ``\\r\\n``/``\\r`` become ``\\n``);
5. removes a space between a CJK character and a digit or Latin word
   (``2024 年`` → ``2024年``, ``5G 网络`` → ``5G网络``) and any space next to Chinese
   punctuation, keeping spaces between Latin words and between numbers; a space
   between two CJK characters is kept (it can be a deliberate separator, as in
   ``第一章 总则``; the PDF reader decides those from the layout instead);
6. optionally converts traditional to simplified characters with OpenCC.

Example:
    >>> normalize_text("２０２４ 年 ５G 网络，增长 ３．５％")
    '2024年5G网络，增长3.5%'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources
from typing import Any

from nqp_text.errors import DependencyError

__all__ = ["normalize_text", "normalize_characters", "unreadable_share", "to_simplified",
           "OPENCC_INSTALL_HINT"]

OPENCC_INSTALL_HINT = (
    "traditional -> simplified conversion needs OpenCC; install it with "
    "`pip install 'nqp-text[opencc]'` (package opencc-python-reimplemented)"
)

_ZERO_WIDTH = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff]")
_RADICAL_OR_COMPAT = re.compile(
    "[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\ufb00-\ufb06\U0002f800-\U0002fa1f"
    "\U0001d400-\U0001d7ff]"
)
_FULLWIDTH_SYMBOLS = "＃＄％＆＊＋／＜＝＞＠＼＾＿｀｜"
_WIDTH_TABLE = {
    **{code: code - 0xFEE0 for code in range(ord("０"), ord("９") + 1)},
    **{code: code - 0xFEE0 for code in range(ord("Ａ"), ord("Ｚ") + 1)},
    **{code: code - 0xFEE0 for code in range(ord("ａ"), ord("ｚ") + 1)},
    **{ord(symbol): ord(symbol) - 0xFEE0 for symbol in _FULLWIDTH_SYMBOLS},
}
_FULLWIDTH_DOT_DASH = re.compile(r"(?<=[0-9A-Za-z])([．－])(?=[0-9A-Za-z])")
_HSPACE = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\v]+")
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\f\x85]")

# CJK ideographs (BMP, extensions, compatibility) and Chinese punctuation.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_PUNCT = (
    "\u3001-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40"
    "\uff5b-\uff65\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"
)
_ALNUM = "0-9A-Za-z"
_SPACE_HAN_ALNUM = re.compile(f"(?<=[{_HAN}]) (?=[{_ALNUM}])|(?<=[{_ALNUM}]) (?=[{_HAN}])")
_SPACE_PUNCT = re.compile(f" (?=[{_CJK_PUNCT}])|(?<=[{_CJK_PUNCT}]) ")

_CID = re.compile(r"\(cid:\d+\)")
_UNREADABLE = re.compile("[\ufffd\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
_RADICAL = re.compile("[\u2e80-\u2fdf]")
_WHITESPACE = re.compile(r"\s+")


def normalize_text(text: str, *, to_simplified: bool = False) -> str:
    """Return ``text`` with the character normalisations of this module applied.

    Idempotent: ``normalize_text(normalize_text(t)) == normalize_text(t)``.

    Example:
        >>> normalize_text("⼈⺠政府\u200b　　ＧＤＰ 增长")
        '人民政府GDP增长'
    """
    text = normalize_characters(_NEWLINES.sub("\n", text))
    lines = [_HSPACE.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(_SPACE_PUNCT.sub("", _SPACE_HAN_ALNUM.sub("", line)) for line in lines)
    if to_simplified:
        text = _opencc_t2s().convert(text)
    return text


def to_simplified(text: str) -> str:
    """``text`` with traditional characters converted to simplified ones (OpenCC ``t2s``),
    nothing else changed: step 6 alone, for text a reader has already normalised.

    :class:`~nqp_text.errors.DependencyError` (an ``ImportError``) naming the install
    when OpenCC is missing.

    Example:
        >>> to_simplified("新質生產力，數據要素")
        '新质生产力，数据要素'
    """
    return str(_opencc_t2s().convert(text))


def normalize_characters(text: str) -> str:
    """Steps 1-3 only (invisible characters, radicals, width); spaces and lines untouched.

    For readers that decide spaces themselves, such as the PDF reader, which
    works from character positions.

    Example:
        >>> normalize_characters("⼤⼒ ２０２４ 年")
        '大力 2024 年'
    """
    text = _ZERO_WIDTH.sub("", text)
    text = _RADICAL_OR_COMPAT.sub(_map_radical, text)
    text = text.translate(_WIDTH_TABLE)
    return _FULLWIDTH_DOT_DASH.sub(_dot_or_dash, text)


def unreadable_share(text: str) -> float:
    """Share of the non-space characters of ``text`` that cannot be read.

    Counted as unreadable: ``(cid:NNN)`` remnants (each one glyph), U+FFFD
    replacement characters, private-use characters and CJK radicals left without
    a unified-ideograph equivalent (``⼤`` is readable: it maps to ``大``).
    Returns 0.0 for empty text.

    Example:
        >>> unreadable_share("政府(cid:123)\ufffd报告")
        0.3333333333333333
    """
    n_cid = len(_CID.findall(text))
    rest = _CID.sub("", text)
    n_unmapped = sum(
        1 for radical in _RADICAL.findall(rest) if _map_radical_char(radical) == radical
    )
    n_bad = n_cid + len(_UNREADABLE.findall(rest)) + n_unmapped
    n_total = n_cid + len(_WHITESPACE.sub("", rest))
    return n_bad / n_total if n_total else 0.0


def _dot_or_dash(match: re.Match[str]) -> str:
    return "." if match.group(1) == "．" else "-"


def _map_radical(match: re.Match[str]) -> str:
    return _map_radical_char(match.group(0))


def _map_radical_char(char: str) -> str:
    mapped = _radicals_supplement().get(char)
    if mapped is not None:
        return mapped
    if "\u2e80" <= char <= "\u2eff":
        return char
    return unicodedata.normalize("NFKC", char)


@functools.lru_cache(maxsize=1)
def _radicals_supplement() -> dict[str, str]:
    table = resources.files("nqp_text.preprocess").joinpath("data/radicals_supplement.tsv")
    mapping: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("radical\t"):
            continue
        radical, ideograph = line.split("\t")[:2]
        mapping[chr(int(radical, 16))] = chr(int(ideograph, 16))
    return mapping


@functools.lru_cache(maxsize=1)
def _opencc_t2s() -> Any:
    try:
        import opencc
    except ImportError as exc:
        raise DependencyError(OPENCC_INSTALL_HINT) from exc
    try:
        return opencc.OpenCC("t2s")
    except Exception:  # the C++ binding names its configurations "t2s.json"
        return opencc.OpenCC("t2s.json")
