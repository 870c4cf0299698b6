"""Zip members unpacked as a stream, with limits: a damaged or hostile archive is refused, never inflated
in memory.

A member is written to disk in blocks of :data:`BLOCK` bytes; unpacking stops with a
:class:`~praevention.errors.SourceFormatError` naming the archive and the member as soon as the expanded
size passes :data:`MAX_EXPANDED_BYTES` or the ratio of expanded to compressed bytes passes
:data:`MAX_RATIO` (the Unfallatlas CSVs expand about 6-fold, a zip bomb a thousandfold). Deflated members
go through zlib-ng (twice as fast as zlib on a 30 MB national year); the CRC-32 is checked as ``zipfile``
would.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from zlib_ng import zlib_ng

from praevention.errors import SourceFormatError

#: the largest member unpacked (a national Unfallatlas year is about 200 MB)
MAX_EXPANDED_BYTES = 2 << 30
#: the largest ratio of expanded to compressed size accepted (text tables stay far below 50)
MAX_RATIO = 100
BLOCK = 1 << 20


def _limit(label: str, info: zipfile.ZipInfo, written: int, max_bytes: int, max_ratio: float) -> None:
    if written > max_bytes:
        raise SourceFormatError(
            label,
            f"zip member {info.filename} expands to more than {max_bytes:,} bytes: refused (damaged or a zip bomb)",
        )
    if written > BLOCK and written > max_ratio * max(info.compress_size, 1):
        raise SourceFormatError(
            label,
            f"zip member {info.filename} expands more than {max_ratio:g}-fold ({info.compress_size:,} compressed "
            "bytes): refused (damaged or a zip bomb)",
        )


def check_members(path: Path) -> None:
    """Refuse an archive whose members declare more than the limits allow, before a library (calamine,
    GDAL) unpacks it on its own."""
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            _limit(str(path), info, info.file_size, MAX_EXPANDED_BYTES, MAX_RATIO)


def extract_member(
    path: Path,
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    target: Path,
    *,
    max_bytes: int = MAX_EXPANDED_BYTES,
    max_ratio: float = MAX_RATIO,
) -> None:
    """Unpack one member of ``zf`` (opened from ``path``) to ``target`` within the limits."""
    label = str(path)
    # the sizes the archive declares are checked first; the stream is checked again, since they can lie
    _limit(label, info, info.file_size, max_bytes, max_ratio)
    written = 0
    with target.open("wb") as dst:
        if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:  # stored or encrypted: zipfile
            with zf.open(info) as src:
                _copy(src, dst, label, info, max_bytes, max_ratio)
            return
        crc = 0
        with path.open("rb") as fh:
            fh.seek(info.header_offset)
            local = fh.read(30)
            if local[:4] != b"PK\x03\x04":
                raise zipfile.BadZipFile(f"bad local header of member {info.filename}")
            name_len, extra_len = int.from_bytes(local[26:28], "little"), int.from_bytes(local[28:30], "little")
            fh.seek(info.header_offset + 30 + name_len + extra_len)
            inflate = zlib_ng.decompressobj(-15)
            remaining = info.compress_size
            pending = b""
            while remaining or pending:
                if not pending:
                    pending = fh.read(min(BLOCK, remaining))
                    if not pending:
                        break
                    remaining -= len(pending)
                block = inflate.decompress(pending, BLOCK)
                pending = inflate.unconsumed_tail
                written += len(block)
                _limit(label, info, written, max_bytes, max_ratio)
                crc = zlib_ng.crc32(block, crc)
                dst.write(block)
                if inflate.eof:
                    break
    if written != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(f"member {info.filename} is damaged (size or CRC-32 differs)")


def _copy(src, dst, label: str, info: zipfile.ZipInfo, max_bytes: int, max_ratio: float) -> None:
    written = 0
    while block := src.read(BLOCK):
        written += len(block)
        _limit(label, info, written, max_bytes, max_ratio)
        dst.write(block)


def read_member(zf: zipfile.ZipFile, name: str, label: str, *, max_bytes: int = BLOCK) -> bytes:
    """A small member (a readme, ``aktualitaet.txt``) as bytes, refused when it expands past ``max_bytes``."""
    import io

    info = zf.getinfo(name)
    buffer = io.BytesIO()
    _limit(label, info, info.file_size, max_bytes, MAX_RATIO)
    with zf.open(info) as src:
        _copy(src, buffer, label, info, max_bytes, MAX_RATIO)
    return buffer.getvalue()
