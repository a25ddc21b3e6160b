"""Generators of hostile inputs for tests/test_hostile_inputs.py (built in a temporary folder).

Each builder writes one file that attacks a reader the way a stranger's download
could, and returns its path. Nothing here comes from real data.
"""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

from docx import Document

_ZEROS = b"<w:t>" + b"0" * (1 << 20) + b"</w:t>"


def good_docx(path: Path, text: str = "加快发展新质生产力。") -> Path:
    """An ordinary one-paragraph .docx."""
    document = Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def docx_bomb(path: Path, inflated_mib: int = 512, *, lie: bool = False) -> Path:
    """A .docx whose ``word/document.xml`` inflates to ``inflated_mib`` MiB.

    It deflates to well under 1 MiB. With ``lie=True`` the central directory
    declares the member as 1 KiB (so a check of declared sizes passes it).
    """
    good = good_docx(path.with_suffix(".good.docx"))
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item, source.read(item), zipfile.ZIP_DEFLATED)
                continue
            info = zipfile.ZipInfo("word/document.xml")
            info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(info, "w", force_zip64=True) as stream:
                stream.write(b'<?xml version="1.0"?><w:document xmlns:w="w"><w:body><w:p>')
                for _ in range(inflated_mib):
                    stream.write(_ZEROS)
                stream.write(b"</w:p></w:body></w:document>")
    good.unlink()
    if lie:
        _declare_small(path, "word/document.xml")
    return path


def _declare_small(path: Path, member: str) -> None:
    """Overwrite the uncompressed size of ``member`` in the central directory with 1 KiB."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    position = 0
    while True:
        position = data.find(b"PK\x01\x02", position)
        if position < 0:
            raise ValueError(f"{member} not in the central directory")
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46:position + 46 + name_length]) == name:
            break
        position += 4
    extra_length = struct.unpack_from("<H", data, position + 30)[0]
    extra = position + 46 + name_length
    # zip64: the real sizes live in the extra field (uncompressed size first)
    cursor = extra
    while cursor < extra + extra_length:
        tag, size = struct.unpack_from("<HH", data, cursor)
        if tag == 0x0001:
            struct.pack_into("<Q", data, cursor + 4, 1024)
        cursor += 4 + size
    if struct.unpack_from("<I", data, position + 24)[0] != 0xFFFFFFFF:
        struct.pack_into("<I", data, position + 24, 1024)
    path.write_bytes(bytes(data))


def allocate(mib: int) -> int:
    """A task that needs ``mib`` MiB at once (module level, so workers can run it)."""
    block = bytearray(mib * 2**20)
    return len(block)


def big_text(path: Path, mib: int) -> Path:
    """A plain UTF-8 text file of about ``mib`` MiB (one repeated line; reading it needs more)."""
    line = "培育壮大新兴产业，推进数据要素市场化配置改革。\n".encode()
    path.write_bytes(line * (mib * 2**20 // len(line)))
    return path


#: Good JSONL/CSV records (id, title, year, text), written clean and among bad ones.
GOOD_RECORDS = [
    ("r1", "第一篇", 2023, "加快发展新质生产力，推进数据要素市场化配置改革。"),
    ("r2", "第二篇", 2024, "培育壮大新兴产业，布局建设未来产业。"),
    ("r3", "第三篇", 2025, "深入推进数字经济创新发展，支持平台企业。"),
]
_DEEP = 100_000


def good_line(record: tuple[str, str, int, str]) -> bytes:
    ident, title, year, text = record
    return json.dumps({"id": ident, "title": title, "year": year, "text": text, "views": 7},
                      ensure_ascii=False).encode()


def clean_jsonl(path: Path) -> Path:
    """The good records only."""
    path.write_bytes(b"\n".join(good_line(record) for record in GOOD_RECORDS) + b"\n")
    return path


def bad_records_jsonl(path: Path) -> dict[int, str]:
    """The good records with a bad one before, between and after them.

    Returns ``{line: the start of the error expected for that line}``.
    """
    bad = [
        (b'{"id": "\\ud800", "text": "lone surrogate in the id"}',
         "field 'id' holds a lone surrogate"),
        (b'{"id": "s2", "title": "\\udc00", "text": "in the title"}',
         "field 'title' holds a lone surrogate"),
        (b'{"id": "s3", "text": "\\ud83d in the text"}', "field 'text' holds a lone surrogate"),
        (b'{"id": "deep", "text": "x", "nested": ' + b"[" * _DEEP + b"]" * _DEEP + b"}",
         "JSON nested too deeply to read"),
        (b'{"id": "inf", "text": "x", "year": 1e400}',
         "field 'year': the number 1e400 is out of range"),
        (b'{"id": "long", "text": "x", "year": ' + b"9" * 5000 + b"}",
         "field 'year': the number 999999999999"),
        (b'{"id": "big", "text": "x", "views": 100000000000000000000}',
         "field 'views': the number 100000000000000000000 is out of range"),
        ('{"id": "bytes", "text": "无效字节'.encode() + b"\xff\xfe" + b'"}',
         "not valid UTF-8 (byte 0xff at column"),
        (b"this line is not JSON", "invalid JSON: Expecting value"),
        (b'{"id": "num", "text": 12}', "field 'text' is not text (int)"),
        (b'{"id": "nul", "text": "a NUL\x00 byte"}', "binary data (a NUL byte at column 29)"),
    ]
    lines: list[bytes] = []
    expected: dict[int, str] = {}
    good = iter(GOOD_RECORDS)
    for index, (line, reason) in enumerate(bad):
        if index % 4 == 1:
            lines.append(good_line(next(good, GOOD_RECORDS[0])))
        lines.append(line)
        expected[len(lines)] = reason
    lines.extend(good_line(record) for record in good)
    path.write_bytes(b"\n".join(lines) + b"\n")
    return expected


def clean_csv(path: Path) -> Path:
    rows = [["id", "title", "year", "text"]] + [list(map(str, r)) for r in GOOD_RECORDS]
    path.write_bytes("\n".join(",".join(row) for row in rows).encode() + b"\n")
    return path


def bad_records_csv(path: Path) -> dict[int, str]:
    """The good CSV rows around a row with bytes that are not UTF-8 and one with extra cells.

    Returns ``{data row: the start of the expected error}``.
    """
    rows = [b"id,title,year,text"]
    rows.append(",".join(map(str, GOOD_RECORDS[0])).encode())
    rows.append("b1,坏,2024,无效".encode() + b"\xc3\x28")
    rows.append(",".join(map(str, GOOD_RECORDS[1])).encode())
    rows.append("b2,多,2024,一,二,三".encode())
    rows.append(",".join(map(str, GOOD_RECORDS[2])).encode())
    rows.append("b3,零,2024,空".encode() + b"\x00")
    path.write_bytes(b"\n".join(rows) + b"\n")
    return {2: "row 2 (line 3): not valid UTF-8 (byte 0xc3", 4: "row 4 (line 5): 6 cells",
            6: "row 6 (line 7): binary data (a NUL byte at column 2 of its cell)"}


def nul_file(path: Path, mib: int) -> Path:
    """A sparse file of ``mib`` MiB of NUL bytes (no disk space, instant to make)."""
    with open(path, "wb") as handle:
        handle.truncate(mib * 2**20)
    return path


def junk_pdf(path: Path) -> Path:
    """A .pdf that is an HTML error page (what a failed download saves)."""
    path.write_bytes(b"<!DOCTYPE html><html><body>404 Not Found" + b" " * 4096
                     + b"%PDF-1.7 too late</body></html>")
    return path
