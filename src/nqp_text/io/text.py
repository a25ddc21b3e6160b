"""Plain-text reader (.txt, .md): encoding detection, binary rejection, paragraphs.

Chinese text files come in UTF-8 (with or without a BOM), GB18030/GBK (what
Windows and Excel in mainland China write), Big5 (Taiwan, Hong Kong) and UTF-16
with a BOM ("Unicode" in Notepad). :func:`decode_bytes` decides, in this order:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) wins;
2. a known binary signature (``%PDF-``, ZIP, images...) or NUL bytes mean a
   binary file (or UTF-16 without a BOM): rejected with the reason;
3. strict UTF-8 (a character cut off at the very end is dropped, nothing else);
4. otherwise charset-normalizer chooses among the CJK legacy encodings only
   (``gb18030``, a superset of GBK and GB2312, and ``big5``); letting it choose
   among all encodings would read GBK as a Cyrillic or Latin code page; when the
   bytes decode as both, the one under which most characters are its common ones
   wins (short GBK texts such as a metadata CSV of province names were read as Big5);
5. the decoded text is rejected as binary when more than 1% of its characters
   are control characters.

The encoding used goes into ``meta["encoding"]`` (a ``documents`` column).

Example:
    >>> decode_bytes("数字经济".encode("gbk"))
    ('数字经济', 'gb18030')
    >>> doc = read_text("corpora/sample/2019_职业技能提升行动方案.txt")  # doctest: +SKIP
    >>> doc.meta["encoding"]  # doctest: +SKIP
    'gb18030'
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from pathlib import Path

from nqp_text.io._base import ExtractedDocument
from nqp_text.io._paragraphs import paragraphs
from nqp_text.io._recover import recover_breaks, recovery_meta
from nqp_text.io.errors import ReaderError
from nqp_text.preprocess.boilerplate import rejoin_broken_words
from nqp_text.preprocess.normalize import normalize_text

__all__ = ["read_text", "decode_bytes", "text_document", "undecodable_at", "binary_head_reason",
           "read_checked_bytes", "CJK_ENCODINGS"]

#: The legacy encodings charset-normalizer may choose from (after BOM and UTF-8).
CJK_ENCODINGS = ("gb18030", "big5")

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a ZIP archive (docx, xlsx, ...)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (doc, xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
)
_HEAD_BYTES = 1 << 20
#: Bytes scored to choose between GB18030 and Big5, and the margin a choice needs.
_SCORED_BYTES = 1 << 16
_COMMON_MARGIN = 0.05
#: Share of common characters that makes the only decoding encoding text without a pick.
_COMMON_ALONE = 0.9
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1a")
_MAX_CONTROL_SHARE = 0.01


def read_text(path: str | os.PathLike[str], *, to_simplified: bool = False) -> ExtractedDocument:
    """Read a .txt or .md file into cleaned paragraphs joined by ``"\\n"``.

    Raises :class:`~nqp_text.io.errors.ReaderError` for binary or undecodable files.

    Example:
        >>> read_text("notes.txt").meta["encoding"]  # doctest: +SKIP
        'utf-8'
    """
    path = Path(path)
    text, encoding = decode_bytes(read_checked_bytes(path), path)
    markdown = path.suffix.lower() in {".md", ".markdown"}
    return text_document(text, markdown=markdown, to_simplified=to_simplified,
                         meta={"encoding": encoding})


def text_document(text: str, *, markdown: bool = False, to_simplified: bool = False,
                  meta: dict[str, object] | None = None) -> ExtractedDocument:
    """Paragraphs of already decoded ``text``, normalised, as an :class:`ExtractedDocument`.

    Status is ``empty`` (with a reason in ``error``) when no text remains.
    Lines far longer than a paragraph are cut at recovered paragraph starts
    first (:func:`~nqp_text.io._recover.recover_breaks`); ``meta`` gets
    ``paragraphs_from`` and, when the breaks were not usable, a warning. A
    break inside a word (``双向\n揭榜\n挂帅``) is joined
    (:func:`~nqp_text.preprocess.boilerplate.rejoin_broken_words`; ``meta``
    counts them in ``rejoined_breaks``).

    Example:
        >>> text_document("第一段\\n\\n第二段。").text
        '第一段\\n第二段。'
    """
    recovered, how = recover_breaks(text)
    recovered, joined = rejoin_broken_words(recovered)
    cleaned = [normalize_text(p, to_simplified=to_simplified)
               for p in paragraphs(recovered, markdown=markdown)]
    body = "\n".join(p for p in cleaned if p)
    if not body:
        return ExtractedDocument("", status="empty", error="no text (only whitespace)",
                                 meta=dict(meta or {}))
    meta = recovery_meta(how, meta)
    if joined:
        meta["rejoined_breaks"] = joined
    return ExtractedDocument(body, meta=meta)


def decode_bytes(data: bytes, path: str | os.PathLike[str] = "<bytes>", *,
                 bad_lines: bool = False) -> tuple[str, str]:
    """Decode ``data`` by the module's rules; return ``(text, encoding)``.

    Raises :class:`~nqp_text.io.errors.ReaderError` naming ``path`` and the reason
    when the bytes are binary or in no supported encoding. With ``bad_lines``
    (JSONL/CSV files, one record per line) a UTF-8 file with a few lines that
    are not valid UTF-8 is still UTF-8: when more lines with non-ASCII bytes
    decode than fail, the bytes of the bad lines come back surrogate-escaped
    (U+DC80-U+DCFF, see :func:`undecodable_at`), so that only their records fail.

    Example:
        >>> decode_bytes("\\ufeff政策".encode("utf-8"))
        ('政策', 'utf-8-sig')
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_controls(_nul_marked(data.decode(encoding), bad_lines),
                                       path), encoding
            except UnicodeDecodeError as exc:
                raise ReaderError(path, f"starts with a {encoding} byte-order mark but does "
                                        f"not decode as {encoding}: {exc.reason}") from exc
    reason = binary_head_reason(data, records=bad_lines)
    if reason:
        raise ReaderError(path, reason)
    text = _utf8(data)
    encoding = "utf-8"
    if text is None and bad_lines and _mostly_utf8(data):
        text = data.decode("utf-8", "surrogateescape")
    if text is None:
        text, encoding = _detect_cjk(data, path)
    return _check_controls(_nul_marked(text, bad_lines), path), encoding


def _nul_marked(text: str, bad_lines: bool) -> str:
    """With ``bad_lines``, NUL characters marked so that their record fails
    (:func:`undecodable_at`) instead of being silently removed with other controls."""
    return text.replace("\x00", _NUL_MARK) if bad_lines and "\x00" in text else text


def binary_head_reason(head: bytes, *, records: bool = False) -> str | None:
    """Why bytes starting a file show it is not text (a binary signature, NUL bytes), else
    ``None``; a byte-order mark means text (UTF-16 has NUL bytes).

    ``records`` (JSONL/CSV, one record per line): a few lines with NUL bytes do not make
    the file binary; :func:`decode_bytes` marks those bytes so that only those records
    fail. NUL bytes in more than one line and a tenth of the lines, or in more than 1% of
    the bytes (UTF-16 without a byte-order mark, a binary file renamed), still do.

    Example:
        >>> binary_head_reason(b"\\x00" * 8)
        'binary content: contains NUL bytes (or UTF-16 without a byte-order mark)'
        >>> binary_head_reason("政策".encode("utf-16")) is None
        True
        >>> binary_head_reason(b'{"a": 1}\\n' * 20 + b'{"a": "\\x00"}\\n', records=True) is None
        True
    """
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    kind = _magic(head)
    if kind:
        return f"binary content: the file is {kind}, not text"
    if b"\x00" in head and not (records and _sparse_nul(head)):
        return "binary content: contains NUL bytes (or UTF-16 without a byte-order mark)"
    return None


def records_head_reason(head: bytes) -> str | None:
    """:func:`binary_head_reason` for JSONL/CSV files (a few NUL lines fail alone)."""
    return binary_head_reason(head, records=True)


def _sparse_nul(data: bytes) -> bool:
    """NUL bytes in one line or at most a tenth of the lines, and at most 1% of the bytes."""
    lines = data.split(b"\n")
    with_nul = sum(1 for line in lines if b"\x00" in line)
    return (with_nul <= max(1, len(lines) // 10)
            and data.count(b"\x00") * 100 <= len(data))


def read_checked_bytes(path: str | os.PathLike[str], *, records: bool = False) -> bytes:
    """The bytes of a text file, refused as binary from its first MiB before the rest is read.

    (A 2 GB file of NUL bytes fails at once instead of after reading it all.)
    :class:`~nqp_text.io.errors.ReaderError` naming the file and the reason.
    """
    try:
        with open(path, "rb") as handle:
            reason = binary_head_reason(handle.read(_HEAD_BYTES), records=records)
            if reason:
                raise ReaderError(path, reason)
            handle.seek(0)
            return handle.read()
    except OSError as exc:
        raise ReaderError(path, f"cannot read file: {exc.strerror or exc}") from exc


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return data[:exc.start].decode("utf-8", errors="strict")
        return None


def _mostly_utf8(data: bytes) -> bool:
    """More lines with non-ASCII bytes decode as UTF-8 than fail (a UTF-8 file, a few bad lines)."""
    good = bad = 0
    for line in data.split(b"\n"):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
        else:
            good += 1
    return good > bad


_ESCAPED = re.compile(r"[\udc00\udc80-\udcff]")
#: What a NUL byte of a JSONL/CSV file becomes (a lone surrogate no decoder produces).
_NUL_MARK = "\udc00"


def undecodable_at(text: str) -> str | None:
    """Where ``text`` (decoded by :func:`decode_bytes` with ``bad_lines``) holds bytes
    that are not UTF-8: ``"byte 0xff at column 13"``, else ``None``.

    Example:
        >>> undecodable_at(b"ok \\xff".decode("utf-8", "surrogateescape"))
        'byte 0xff at column 4'
    """
    found = _ESCAPED.search(text)
    if found is None:
        return None
    if found.group() == _NUL_MARK:
        return f"a NUL byte at column {found.start() + 1}"
    return f"byte 0x{ord(found.group()) - 0xDC00:02x} at column {found.start() + 1}"


def bad_bytes_reason(where: str) -> str:
    """The reason for a record holding what :func:`undecodable_at` found at ``where``.

    Example:
        >>> bad_bytes_reason("byte 0xff at column 4"), bad_bytes_reason("a NUL byte at column 2")
        ('not valid UTF-8 (byte 0xff at column 4)', 'binary data (a NUL byte at column 2)')
    """
    return f"binary data ({where})" if "NUL" in where else f"not valid UTF-8 ({where})"


def _detect_cjk(data: bytes, path: str | os.PathLike[str]) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(CJK_ENCODINGS)).best()
    found = best.encoding if best is not None and best.encoding in CJK_ENCODINGS else None
    encoding = _common_characters_decide(data[:_SCORED_BYTES], found)
    if encoding is None:
        raise ReaderError(path, "not UTF-8, and does not decode cleanly as GB18030/GBK or Big5")
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise ReaderError(path, f"looks like {best.encoding} but does not decode: "
                                f"{exc.reason} at byte {exc.start}") from exc


def _common_characters_decide(data: bytes, chosen: str | None) -> str | None:
    """GB18030 or Big5 (or ``None``: neither) for ``data``, given charset-normalizer's
    pick ``chosen`` (``None`` when it found no CJK encoding).

    On short texts charset-normalizer often picks Big5 for GBK bytes, such as a
    metadata CSV saved by Excel on a mainland Windows (``北京市`` read as ``控儔庈``: 23
    of the 31 province names), or nothing at all (``发展。``). Bytes of one encoding
    read as the other mostly land outside the other's common characters: GB2312's
    punctuation and hanzi (rows 0xA1-0xA3 and 0xB0-0xF7, second byte 0xA1-0xFE; not its
    kana, Greek or Cyrillic rows) for GBK text, the Big5 symbols and frequent hanzi
    (0xA140-0xC67E) for Big5 text. So when both decode, Big5 needs
    clearly more of its common characters (GBK is the far more frequent of the two
    where these texts come from); when only one decodes, it is taken if charset-normalizer
    chose it or nearly all its characters are common ones (a Latin-1 file that happens
    to decode is not).

    Example:
        >>> _common_characters_decide("北京市".encode("gbk"), "big5")
        'gb18030'
        >>> _common_characters_decide("臺北市".encode("big5"), "gb18030")
        'big5'
        >>> _common_characters_decide("发展。".encode("gbk"), None)
        'gb18030'
    """
    decodes = []
    for encoding in CJK_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        decodes.append(encoding)
    gb2312, big5 = _common_shares(data)
    share = {"gb18030": gb2312, "big5": big5}
    if len(decodes) == 2:
        winner = "big5" if big5 > gb2312 + _COMMON_MARGIN else "gb18030"
    elif decodes:
        winner = decodes[0]
    else:
        return None
    return winner if chosen is not None or share[winner] >= _COMMON_ALONE else None


def _common_shares(data: bytes) -> tuple[float, float]:
    """Shares of the two-byte characters that are GB2312 punctuation and hanzi (read as
    GBK) and that are Big5's symbols and frequent hanzi (read as Big5)."""
    gb2312 = big5 = total = 0
    i, n = 0, len(data)
    while i < n:
        lead = data[i]
        if lead < 0x80 or i + 1 >= n:
            i += 1
            continue
        trail = data[i + 1]
        total += 1
        gb2312 += (0xA1 <= lead <= 0xA3 or 0xB0 <= lead <= 0xF7) and 0xA1 <= trail <= 0xFE
        big5 += 0xA140 <= (lead << 8 | trail) <= 0xC67E
        i += 2
    return (gb2312 / total, big5 / total) if total else (0.0, 0.0)


def _check_controls(text: str, path: str | os.PathLike[str]) -> str:
    controls = [char for char in text
                if char not in _ALLOWED_CONTROLS and unicodedata.category(char) == "Cc"]
    if text and len(controls) / len(text) > _MAX_CONTROL_SHARE:
        raise ReaderError(path, f"binary content: {len(controls) / len(text):.0%} of the "
                                "characters are control characters")
    if controls or "\x1a" in text:
        bad = set(controls) | {"\x1a"}
        text = "".join(char for char in text if char not in bad)
    return text


def _magic(data: bytes) -> str | None:
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)
