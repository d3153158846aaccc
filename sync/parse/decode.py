"""Feed bytes to text: the binary and HTML checks, the encoding, and the CSV-or-JSON sniff.

Spreadsheet exports arrive as UTF-8 (with or without a BOM) or, from older Excel, Windows-1252
(or another code page a feed names: Windows-1250 for Polish or Czech, 1251 for Russian). The
choice is made for the whole file by one pass of an incremental UTF-8 decoder over the
bytes in chunks, so a 50 MB feed never sits in memory; the text is then read a second time
through `io.TextIOWrapper`.
"""

from __future__ import annotations

import codecs
import io
import shutil
import tempfile
from dataclasses import dataclass
from typing import BinaryIO

from sync.errors import FeedRejected
from sync.spec import FeedFormat

SNIFF_BYTES = 8192
_CHUNK_BYTES = 1 << 20
_TEXT_CHUNK_CHARS = 1 << 16
_SPOOL_IN_MEMORY_BYTES = 8 << 20
_WHITESPACE = b" \t\r\n\f\v"
_HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<!--")

BINARY = "binary data, not a CSV or JSON feed"
HTML = "looks like an HTML page, not CSV or JSON"
UTF16 = "UTF-16 text: save the feed as UTF-8 (or Windows-1252) CSV or JSON"


class _Unclosable(io.BufferedIOBase):
    """A read-only view of the caller's stream that closing does not close.

    TextIOWrapper closes its buffer when it is closed or garbage collected; the stream belongs
    to the caller, who may still want it (a temp file it deletes itself, say).
    """

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._raw.read(-1 if size is None else size)

    def read1(self, size: int = -1) -> bytes:
        return self._raw.read(size)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@dataclass(frozen=True)
class DecodedFeed:
    """A feed body whose encoding is known; `open_text` reads it (again) from the start."""

    stream: BinaryIO
    encoding: str  # the codec that reads the text: "utf-8", or the fallback ("cp1252")
    offset: int  # 3 when the body starts with a UTF-8 BOM, which is not part of the text
    head: bytes  # the first bytes of the body after any BOM, for sniffing

    @property
    def name(self) -> str:
        """The encoding as status and `feeds check` name it ("utf-8-sig" with a BOM)."""
        return "utf-8-sig" if self.offset and self.encoding == "utf-8" else self.encoding

    def open_text(self) -> io.TextIOWrapper:
        """The body as text, universal line endings left for the csv module (newline="")."""
        self.stream.seek(self.offset)
        # "replace" only matters for a code page: Windows-1252's five undefined bytes (and any
        # another code page lacks) become U+FFFD rather than failing the whole feed.
        text = io.TextIOWrapper(
            _Unclosable(self.stream), encoding=self.encoding, errors="replace", newline=""
        )
        # Bigger reads than the default 8 KB: fewer calls through the Python-level view above.
        text._CHUNK_SIZE = _TEXT_CHUNK_CHARS  # type: ignore[attr-defined]
        return text


_CODE_PAGES = {"cp1250": "Windows-1250", "cp1251": "Windows-1251", "cp1252": "Windows-1252"}


def encoding_label(name: str) -> str:
    """How a person names an encoding: UTF-8, UTF-8 with BOM, Windows-1252 (cp1252)."""
    if name == "utf-8":
        return "UTF-8"
    if name == "utf-8-sig":
        return "UTF-8 with BOM"
    return f"{_CODE_PAGES[name]} ({name})" if name in _CODE_PAGES else name


def _seekable(stream: BinaryIO) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def decode_feed(stream: BinaryIO, fallback: str | None = None) -> DecodedFeed:
    """Decide how to read `stream` (its whole content, from position 0): UTF-8 when it is valid
    UTF-8, else `fallback` (a codec name; default Windows-1252).

    Raises FeedRejected for binary data (NUL bytes in the first 8 KB) and UTF-16 text. A stream
    that cannot seek (a raw HTTP body) is first copied to a spooled temporary file.
    """
    if not _seekable(stream):
        # Not a `with`: the spool outlives this call, as long as the parsed feed reads it.
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
        shutil.copyfileobj(stream, spool, _CHUNK_BYTES)
        stream = spool  # type: ignore[assignment]
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FeedRejected(UTF16)
    if b"\x00" in head:
        raise FeedRejected(UTF16 if _looks_like_utf16(head) else BINARY)
    offset = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    if _is_utf8(stream, head):
        encoding = "utf-8"
    else:
        encoding = codecs.lookup(fallback).name if fallback else "cp1252"
    return DecodedFeed(stream, encoding, offset, head[offset:])


def _looks_like_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: text in Latin script has a NUL in (nearly) every other byte."""
    sample = head[:512]
    half = len(sample) // 2
    if half < 8:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return max(even, odd) >= 0.9 * half and min(even, odd) <= 0.1 * half


def _is_utf8(stream: BinaryIO, head: bytes) -> bool:
    """Whether the whole stream is valid UTF-8, read in chunks (`head` was read already)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head)
        while chunk := stream.read(_CHUNK_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)  # a sequence cut off at the end of the file
    except UnicodeDecodeError:
        return False
    return True


def sniff_format(head: bytes, fmt: FeedFormat | None) -> FeedFormat:
    """The feed's format: `fmt` when given, else JSON when it starts with `[` or `{`.

    Raises FeedRejected for an HTML page (a login or error page served with status 200), even
    when the config says CSV: such a page would otherwise read as a header-only CSV.
    """
    body = head.lstrip(_WHITESPACE)
    first = body[:1]
    if body[:16].lower().startswith(_HTML_STARTS) or (fmt != "csv" and first == b"<"):
        raise FeedRejected(HTML)
    if fmt is not None:
        return fmt
    return "json" if first in (b"[", b"{") else "csv"
