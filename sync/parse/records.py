"""Records out of feed text: CSV rows with the physical line each starts on, and JSON records
with their 1-based index, both streamed so memory stays flat however long the feed is.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, TextIO

from sync.errors import FeedRejected
from sync.parse.fields import normalize_name

DELIMITERS = (",", ";", "\t")  # in order of preference when a header has as many of each
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
# A header with an unclosed quote would otherwise swallow the whole file as "the header".
_MAX_HEADER_LINES = 50
_QUOTE = '"'
_QUOTED = re.compile(r'"[^"]*"?')  # a quoted stretch (to the end of the text when never closed)

# Bounds on hostile or broken CSV, so that memory and time stay flat whatever arrives (each ends
# as a rejected feed with its reason, never a crash or a hang):
# - one physical line is read at most this long (a 50 MB line without a newline is refused
#   after 1 MB, not read whole; the csv module's own field limit is 128 KB);
MAX_LINE_CHARS = 1 << 20
# - a header has at most as many columns as Excel (16,384); a header of a million commas is not
#   a spreadsheet export;
MAX_COLUMNS = 16_384
# - blank lines: a few before the header, and after it at most a little over Excel's 1,048,576
#   rows in a row (Excel may export every formatted but empty row of a sheet); 50 MB of line
#   breaks would otherwise take seconds to skip while the database writer waits.
MAX_BLANK_LINES_BEFORE_HEADER = 1000
MAX_BLANK_LINES_IN_A_ROW = 1 << 21

EMPTY = "the feed is empty: no header row"
NOT_RECORDS = 'a JSON document that is neither an array of records nor {"records": [...]}'


class LineReader(Protocol):
    """A csv.reader: rows of cells, and the number of physical lines read so far."""

    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


@dataclass
class CsvTable:
    """An opened CSV feed: its header, the delimiter it uses, and a reader past the header."""

    header: list[str]
    delimiter: str
    reader: LineReader


def _count_outside_quotes(text: str) -> dict[str, int]:
    # Dropping every quoted stretch first keeps this in C: a header can be a megabyte long.
    bare = _QUOTED.sub("", text)
    return {delimiter: bare.count(delimiter) for delimiter in DELIMITERS}


# Lines are cut out of the text this many characters at a time: the line-length cap is checked
# per block in C (`max(map(len, ...))`), not by a Python generator step per line.
_BLOCK_CHARS = 1 << 16
# One physical line as `readline` with newline="" ends it: at \r\n, \r or \n.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)")


def _line_blocks(text: TextIO, limit: int, block: int = _BLOCK_CHARS) -> Iterator[list[str]]:
    """The physical lines of `text` in lists, in order; FeedRejected for a line longer than
    `limit` characters (after the lines before it), before more than `limit` plus a block of
    it is held."""
    number = 0  # lines handed out so far
    rest = ""  # the start of a line whose end is not read yet
    while True:
        chunk = text.read(block)
        buf = rest + chunk if rest else chunk
        if not chunk:
            lines = [buf] if buf else []
            rest = ""
        else:
            lines = _split_lines(buf)
            # A last line without its break goes on in the next chunk, and so does one ending
            # in \r: a \n starting the next chunk makes \r\n one line break.
            rest = "" if buf.endswith("\n") else lines.pop()
        if lines and max(map(len, lines)) > limit:
            long = next(i for i, line in enumerate(lines) if len(line) > limit)
            if long:
                yield lines[:long]
            raise _too_long(number + long + 1, limit)
        if len(rest) > limit:
            if lines:
                yield lines
            raise _too_long(number + len(lines) + 1, limit)
        number += len(lines)
        if lines:
            yield lines
        if not chunk:
            return


def _split_lines(text: str) -> list[str]:
    """`text` cut after each line break as `readline` sees them (CR LF, CR, LF)."""
    lines = text.splitlines(keepends=True)
    # splitlines also cuts at \v, \f, \x1c-\x1e, \x85, \u2028 and \u2029, which are no line
    # breaks in a CSV; when it made more pieces than there are real breaks, use the regex.
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    if len(lines) - (not text.endswith(("\n", "\r"))) != breaks:
        lines = _LINE.findall(text)
        tail = text[sum(map(len, lines)) :]
        if tail:
            lines.append(tail)
    return lines


def _too_long(number: int, limit: int) -> FeedRejected:
    return FeedRejected(
        f"line {number} is longer than {limit:,} characters "
        "(not a CSV export, or an unclosed quote?)"
    )


def _capped_lines(
    text: TextIO, limit: int = MAX_LINE_CHARS, block: int = _BLOCK_CHARS
) -> Iterator[str]:
    """The physical lines of `text`, refusing (FeedRejected) one longer than `limit` characters
    before it is read whole; read `block` characters at a time."""
    return itertools.chain.from_iterable(_line_blocks(text, limit, block))


def _is_blank(line: str) -> bool:
    """A line with nothing but whitespace and delimiters, as Excel leaves at the end."""
    return not line.strip(" \t\r\n,;")


def _holds(header_text: str, delimiter: str, required: Sequence[str]) -> bool:
    """Whether the header, split at `delimiter`, names every required field."""
    try:
        cells = next(csv.reader(io.StringIO(header_text), delimiter=delimiter), [])
    except csv.Error:
        return False
    names = {normalize_name(cell) for cell in cells}
    return all(name in names for name in required)


def choose_delimiter(header_text: str, required: Sequence[str] = ()) -> str:
    """Comma, semicolon or tab: the one under which the header names the `required` fields
    (a semicolon export may have a column called `Notes (store, region, day)`); among those,
    or when none does, the one found most often outside quotes, the first of a tie."""
    counts = _count_outside_quotes(header_text)
    candidates = [d for d in DELIMITERS if required and _holds(header_text, d, required)]
    # max() keeps the first of a tie: comma, then semicolon, then tab.
    return max(candidates or DELIMITERS, key=lambda d: counts[d])


def open_csv(text: TextIO, required: Sequence[str] = ()) -> CsvTable:
    """Read the header of a CSV feed and choose its delimiter from it (`choose_delimiter`).

    Raises FeedRejected for an empty feed or a header that cannot be read.
    """
    before: list[str] = []  # blank lines above the header still count as lines
    header_lines: list[str] = []
    lines = _capped_lines(text)
    for line in lines:
        if not header_lines and _is_blank(line):
            if len(before) >= MAX_BLANK_LINES_BEFORE_HEADER:
                raise FeedRejected(
                    f"no header row in the first {MAX_BLANK_LINES_BEFORE_HEADER:,} lines: "
                    "they are all blank"
                )
            before.append(line)
            continue
        header_lines.append(line)
        # A quoted header cell may hold a line break: read on until the quotes balance.
        if "".join(header_lines).count(_QUOTE) % 2 == 0 or len(header_lines) > _MAX_HEADER_LINES:
            break
    if not header_lines:
        raise FeedRejected(EMPTY)
    delimiter = choose_delimiter("".join(header_lines), required)
    # The reader re-reads the lines taken above, so its line_num counts every physical line.
    reader = csv.reader(itertools.chain(before, header_lines, lines), delimiter=delimiter)
    try:
        for row in reader:
            if any(row):
                if len(row) > MAX_COLUMNS:
                    raise FeedRejected(
                        f"the header has {len(row):,} columns; a feed has at most "
                        f"{MAX_COLUMNS:,} (as many as a spreadsheet)"
                    )
                return CsvTable(row, delimiter, reader)
    except csv.Error as err:
        raise FeedRejected(f"the CSV header cannot be read: {err}") from err
    raise FeedRejected(EMPTY)


@dataclass
class CsvBatch:
    """Up to a batch's worth of records after the header, blank ones included, with the
    physical line each ends on (a quoted field may hold line breaks)."""

    before: int  # the last line read before this batch
    ends: list[int]
    records: list[list[str]]

    def numbered(self) -> Iterator[tuple[int, list[str]]]:
        """(line where the record starts, cells) of the records that are not blank."""
        start = self.before + 1
        for end, cells in zip(self.ends, self.records, strict=True):
            if any(cells):
                yield start, cells
            start = end + 1


def csv_batches(table: CsvTable, size: int) -> Iterator[CsvBatch]:
    """The records after the header, `size` records (blank ones included) at a time.

    Blank lines and rows of only delimiters are left for the reader to skip
    (`CsvBatch.numbered`), but not more than MAX_BLANK_LINES_IN_A_ROW of them in a row. A row
    the csv module cannot read (a field over its size limit, usually after an unclosed quote)
    rejects the feed, after the records before it.
    """
    reader = table.reader
    last = reader.line_num
    blank_since = last
    while True:
        records: list[list[str]] = []
        ends: list[int] = []
        add, add_end = records.append, ends.append
        before = last
        error: csv.Error | None = None
        try:
            for cells in itertools.islice(reader, size):
                add(cells)
                add_end(reader.line_num)
        except csv.Error as err:
            error = err
        if ends:
            last = ends[-1]
        too_many_blank: FeedRejected | None = None
        if not all(map(any, records)):
            blank_since, cut = _blank_runs(ends, records, blank_since)
            if cut is not None:
                too_many_blank = FeedRejected(
                    f"more than {MAX_BLANK_LINES_IN_A_ROW:,} blank lines in a row after line "
                    f"{blank_since}: not a spreadsheet export"
                )
                del records[cut:], ends[cut:]
        elif ends:
            blank_since = last
        if records:
            yield CsvBatch(before, ends, records)
        if too_many_blank is not None:
            raise too_many_blank
        if error is not None:
            raise FeedRejected(
                f"the CSV cannot be read from line {last + 1}: {error} (an unclosed quote?)"
            ) from error
        if len(records) < size:
            return


def _blank_runs(
    ends: list[int], records: list[list[str]], blank_since: int
) -> tuple[int, int | None]:
    """Where the last non-blank record of a batch ends (or `blank_since` when it has none), and
    the index of the first record past MAX_BLANK_LINES_IN_A_ROW blank lines in a row, if any."""
    for index, (end, cells) in enumerate(zip(ends, records, strict=True)):
        if any(cells):
            blank_since = end
        elif end - blank_since > MAX_BLANK_LINES_IN_A_ROW:
            return blank_since, index
    return blank_since, None


# --- JSON -----------------------------------------------------------------------------------

_NOT_WHITESPACE = re.compile(r"[^ \t\r\n]")
# A decode error (or a number) this close to the end of the buffer may only mean the value goes
# on in the next chunk (a literal such as `false` is at most 9 characters: `-Infinity`).
_END_MARGIN = 16
# One JSON value (a record, or another member of the top-level object) is read at most this
# long: a 40 MB string or an endless array inside one record is refused, not held in memory.
MAX_VALUE_CHARS = 1 << 20
# Python refuses to turn more than 4,300 digits into an int (a ValueError, CVE-2020-10735); a JSON
# integer that long becomes a float (infinite, so a bad value) instead of breaking the parse.
_INT_DIGITS = 4000


def _parse_int(text: str) -> int | float:
    return int(text) if len(text) <= _INT_DIGITS else float(text)


class _JsonStream:
    """A JSON text read in chunks, one value at a time with JSONDecoder.raw_decode.

    Only the current value and one chunk are held, so a 50 MB array of records is streamed; a
    value larger than a chunk is retried with ever larger reads.
    """

    def __init__(self, text: TextIO, chunk_chars: int = 1 << 16) -> None:
        self._text = text
        self._chunk = chunk_chars
        self._decoder = json.JSONDecoder(parse_int=_parse_int)
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._lines_before = 0  # newlines in the text already dropped from the buffer

    def _more(self, size: int) -> bool:
        if self._eof:
            return False
        chunk = self._text.read(size)
        if not chunk:
            self._eof = True
            return False
        if self._pos:
            self._lines_before += self._buf.count("\n", 0, self._pos)
            self._buf = self._buf[self._pos :] + chunk
            self._pos = 0
        else:
            self._buf += chunk
        return True

    def peek(self) -> str:
        """The next character that is not whitespace, or "" at the end of the text."""
        while True:
            match = _NOT_WHITESPACE.search(self._buf, self._pos)
            if match:
                self._pos = match.start()
                return self._buf[self._pos]
            self._pos = len(self._buf)
            if not self._more(self._chunk):
                return ""

    def skip(self) -> None:
        """Step over the character `peek` returned."""
        self._pos += 1

    def value(self) -> object:
        """Decode the value that starts at the next non-whitespace character."""
        self.peek()
        size = self._chunk
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as err:
                maybe_cut = err.pos >= len(self._buf) - _END_MARGIN or err.msg.startswith(
                    "Unterminated string"
                )
                if maybe_cut:
                    self._check_size()
                    if self._more(size):
                        size *= 2
                        continue
                raise self.error(err.msg, err.pos) from None
            except RecursionError:
                raise FeedRejected("not valid JSON: values nested too deeply") from None
            except ValueError as err:  # not a decode error: a number Python refuses, say
                raise FeedRejected(f"not valid JSON: {err}") from None
            # A number near the end of the buffer may go on in the next chunk: `2.5e3` cut after
            # `2.` decodes as 2 followed by junk. Objects, arrays and strings end unambiguously.
            kind = type(value)
            near_end = end + _END_MARGIN >= len(self._buf)
            if (kind is int or kind is float) and near_end:
                self._check_size()
                if self._more(size):
                    continue
            self._pos = end
            return value

    def _check_size(self) -> None:
        """Refuse a value that has grown past MAX_VALUE_CHARS before reading more of it."""
        if len(self._buf) - self._pos > MAX_VALUE_CHARS:
            raise FeedRejected(
                f"not valid JSON for a feed: a single value at line {self._line(self._pos)} is "
                f"longer than {MAX_VALUE_CHARS:,} characters"
            )

    def _line(self, pos: int) -> int:
        """The 1-based line in the whole text of `pos` in the buffer."""
        return self._lines_before + self._buf.count("\n", 0, pos) + 1

    def error(self, message: str, pos: int | None = None) -> FeedRejected:
        """A rejection for invalid JSON at `pos` of the buffer (default: the current place)."""
        pos = self._pos if pos is None else pos
        line = self._line(pos)
        column = pos - self._buf.rfind("\n", 0, pos)
        return FeedRejected(f"not valid JSON: {message} at line {line} column {column}")


def _array(stream: _JsonStream) -> Iterator[tuple[int, object]]:
    stream.skip()  # [
    if stream.peek() == "]":
        stream.skip()
        return
    index = 0
    while True:
        index += 1
        yield index, stream.value()
        after = stream.peek()
        stream.skip()
        if after == "]":
            return
        if after != ",":
            raise stream.error("Expecting ',' or ']' after a record")


def _records_member(stream: _JsonStream) -> Iterator[tuple[int, object]]:
    """The records of `{"records": [...]}`; other members are read and ignored."""
    stream.skip()  # {
    found = False
    if stream.peek() == "}":
        stream.skip()
    else:
        while True:
            if stream.peek() != '"':
                raise stream.error("Expecting a property name in double quotes")
            key = stream.value()
            if stream.peek() != ":":
                raise stream.error("Expecting ':' delimiter")
            stream.skip()
            if isinstance(key, str) and normalize_name(key) == "records":
                if found:
                    raise FeedRejected('the JSON object has more than one "records" member')
                found = True
                if stream.peek() != "[":
                    raise FeedRejected(NOT_RECORDS)
                yield from _array(stream)
            else:
                stream.value()
            after = stream.peek()
            stream.skip()
            if after == "}":
                break
            if after != ",":
                raise stream.error("Expecting ',' or '}'")
    if not found:
        raise FeedRejected(NOT_RECORDS)


def json_records(text: TextIO, chunk_chars: int = 1 << 16) -> Iterator[tuple[int, object]]:
    """The records of a JSON feed as (1-based index, value), read as they are needed.

    Raises FeedRejected (when the iteration reaches it) for text that is not valid JSON or not
    an array of records or `{"records": [...]}`.
    """
    stream = _JsonStream(text, chunk_chars)
    first = stream.peek()
    if first == "[":
        yield from _array(stream)
    elif first == "{":
        yield from _records_member(stream)
    elif first == "":
        raise FeedRejected("not valid JSON: the feed is empty")
    else:
        stream.value()  # raises when it is not JSON at all
        raise FeedRejected(NOT_RECORDS)
    if stream.peek() != "":
        raise stream.error("Extra data after the end of the document")
