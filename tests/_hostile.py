"""Generators of hostile inputs for tests/test_hostile_inputs.py (built in a temporary folder).

Each builder writes one file that attacks a reader the way a stranger's download
could, and returns its path. Nothing here comes from real data.
"""

from __future__ import annotations

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
