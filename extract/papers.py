"""Read dump files into papers.

Three input formats, detected from the first bytes (``--format`` forces one):

- ``text``: titles and abstracts, one per line, read by their structure (see
  ``line_kind``): the daily-papers page as text in any layout, or a plain list;
- ``jsonl``: one JSON object per line with ``title`` and ``abstract`` (arXiv snapshot);
- ``json``: a daily-papers API list whose items hold ``paper.id/title/summary``.

Each input is opened and read once (``open_dump``), so a pipe, ``/dev/stdin`` or a
process substitution gives the same papers as the file. Papers are read as they are
iterated, so memory stays flat however large the dump. Invalid UTF-8 is refused, not
patched: a replaced byte would silently change titles and claim offsets.
"""
import codecs
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass

import regex

FORMATS = ("text", "jsonl", "json")
MAX_LINE = 1_000_000  # bytes; longer lines (and JSON items) are not abstracts
HEAD = 65536  # bytes read to check and sniff a file
CHUNK = 1 << 16  # characters read at a time from a JSON list
SPOOL_IN_MEMORY = 16 << 20  # bytes of a pipe kept in memory before spilling to a temp file
UTF8_BOM = codecs.BOM_UTF8


class DumpError(Exception):
    """A dump cannot be read; the message is one line naming the file."""


@dataclass
class Paper:
    title: str
    abstract: str
    arxiv_id: str = None  # without its version: 2401.12345v2 and 2401.12345 are one paper
    published: str = None
    authors: str = None
    categories: str = None
    arxiv_version: str = None  # "v2" when the id named one

    @property
    def id(self):
        """Stable id: the arXiv id when known, else a hash of the normalized title.

        >>> Paper("Hello, World!", "").id == Paper("hello world", "").id
        True
        >>> Paper("x", "", arxiv_id="2403.07487").id
        '2403.07487'
        """
        if self.arxiv_id:
            return self.arxiv_id
        return "t" + hashlib.sha1(norm_title(self.title).encode()).hexdigest()[:15]


def norm_title(title):
    """Titles compared as the spec scores them: lower-cased, letters and digits only.

    >>> norm_title("ZeRO++: Extremely Efficient")
    'zeroextremelyefficient'
    """
    return NOT_LETTER_OR_DIGIT.sub("", title.lower())


NOT_LETTER_OR_DIGIT = regex.compile(r"[^\p{L}\p{N}]+")


ARXIV_ID = regex.compile(
    r"""^(?P<id> \d{4}\.\d{4,5}               # new style: 2401.12345
          | [a-z][a-z.\-]*(?:\.[A-Z]{2})?/\d{7}  # old style: hep-th/9901001, math.AG/0101001
          )(?P<version>v\d+)?$""",
    regex.X,
)


def split_arxiv_id(value):
    """An arXiv id without its version, and the version; other ids are kept whole.

    >>> split_arxiv_id("2401.12345v2"), split_arxiv_id("hep-th/9901001"), split_arxiv_id("x1v2")
    (('2401.12345', 'v2'), ('hep-th/9901001', None), ('x1v2', None))
    """
    match = ARXIV_ID.match(value)
    return (match["id"], match["version"]) if match else (value, None)


# --- Reading a file once --------------------------------------------------------------

def shown(path):
    """A path as it can be printed: a file name that is not valid UTF-8 shows U+FFFD.

    >>> shown(os.fsdecode(b"bad\\xff.txt"))
    'bad�.txt'
    """
    return os.fsencode(path).decode("utf-8", "replace")


STDIN = "-"


def open_dump(path):
    """Open one input for reading, once (``-``: standard input). Use it as a context manager.

    ``Dump.papers()`` reads the papers; ``Dump.digest`` is the SHA-256 of the bytes.
    A pipe, FIFO or ``/dev/stdin`` cannot be read twice, so it is copied as it is read
    into a temporary file (in memory while small) that can.
    """
    name = "standard input" if path == STDIN else shown(path)
    try:
        # "-" is standard input, as for most command-line tools; closing the dump leaves it open
        file = open(sys.stdin.fileno(), "rb", closefd=False) if path == STDIN else open(path, "rb")
    except FileNotFoundError:
        raise DumpError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise DumpError(f"{name}: is a directory, not a dump") from None
    except OSError as e:
        raise DumpError(f"{name}: cannot open ({e.strerror.lower()})") from None
    try:
        return Dump(name, file if _seekable(file) else _spooled(file, name))
    except BaseException:
        file.close()
        raise


def _seekable(file):
    return stat.S_ISREG(os.fstat(file.fileno()).st_mode)


def _spooled(stream, name):
    copy = tempfile.SpooledTemporaryFile(SPOOL_IN_MEMORY)
    try:
        shutil.copyfileobj(stream, copy)
    except OSError as e:
        copy.close()
        raise DumpError(f"{name}: cannot read ({e.strerror.lower()})") from None
    stream.close()
    copy.seek(0)
    return copy


class Dump:
    """An input opened once: its head checked, its format sniffed, its papers and digest read."""

    def __init__(self, name, file):
        self.name, self.file = name, file
        try:
            self.head = file.read(HEAD)
        except OSError as e:  # e.g. a directory opened through a special file
            raise DumpError(f"{name}: cannot read ({e.strerror.lower()})") from None
        file.seek(0)
        if not self.is_database:  # a database is a side diff can compare; anything else must be text
            self.check()
        self._digest = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.file.close()

    @property
    def is_database(self):
        return self.head.startswith(b"SQLite format 3\0")

    @property
    def digest(self):
        """SHA-256 of the whole content, read from the open file, which is then rewound."""
        if self._digest is None:
            digest = hashlib.sha256()
            for block in iter(lambda: self.file.read(1 << 20), b""):
                digest.update(block)
            self.file.seek(0)
            self._digest = digest.hexdigest()
        return self._digest

    def check(self):
        """Refuse what is plainly not UTF-8 text: nothing, NUL bytes, UTF-16 or UTF-32."""
        if not self.head.strip():
            raise DumpError(f"{self.name}: empty file")
        encoding = _utf16_or_32(self.head)
        if encoding:
            raise DumpError(f"{self.name}: {encoding} text; re-encode it as UTF-8")
        if b"\0" in self.head:
            raise DumpError(f"{self.name}: binary file, not a dump")

    def sniff(self):
        """The format the first bytes show; DumpError if none fits."""
        text = self.head.removeprefix(UTF8_BOM).lstrip().decode("utf-8", "ignore")
        if text.startswith("["):
            return "json"
        if text.startswith("{"):
            return "jsonl"
        lines = ((number, line.strip()) for number, line in enumerate(text.splitlines(), 1))
        if "Subscribe" in text or "trending papers" in text or next(_pair(lines, _ignore), None):
            return "text"
        raise DumpError(f"{self.name}: not a dump (no titles followed by abstracts, not JSON or JSON Lines)")

    def papers(self, fmt=None, skip_bad=False, warn=None):
        """Yield the papers, streaming, each paper id once.

        ``skip_bad`` reports a malformed JSON record through ``warn`` and goes on instead
        of stopping; a dump that yields no paper at all is an error either way.
        """
        self.check()
        fmt = fmt or self.sniff()
        if fmt not in FORMATS:
            raise DumpError(f"{self.name}: unknown format {fmt!r} (one of {', '.join(FORMATS)})")
        warn = warn or _ignore
        reader = {"text": _read_text, "jsonl": _read_jsonl, "json": _read_json}[fmt]
        self.file.seek(0)
        seen = set()  # ids only: memory grows by some 100 bytes a paper, not by its abstract
        for where, paper in reader(self, skip_bad, warn):
            paper_id = paper.id
            if paper_id in seen:  # the same paper twice in one dump is stored and counted once
                warn(f"{self.name}: {where}: paper {paper_id} already read from this dump; kept the first")
                continue
            seen.add(paper_id)
            yield paper
        if not seen:
            raise DumpError(f"{self.name}: no papers found ({fmt} format)")

    def lines(self):
        """(number, line) pairs, stripped; a line that is too long or not UTF-8 is an error."""
        for number, raw in enumerate(iter(lambda: self.file.readline(MAX_LINE + 1), b""), 1):
            if len(raw) > MAX_LINE:
                raise DumpError(f"{self.name}: line {number} is longer than {MAX_LINE:,} bytes")
            if number == 1:
                raw = raw.removeprefix(UTF8_BOM)
            try:
                yield number, raw.decode("utf-8").strip()
            except UnicodeDecodeError as e:
                raise DumpError(f"{self.name}: line {number}: not valid UTF-8 (byte {e.start + 1}); "
                                "re-encode it as UTF-8") from None


def _ignore(message):
    pass


def _utf16_or_32(head):
    """UTF-16 or UTF-32, from a byte order mark or the NUL bytes that pad ASCII in them.

    >>> _utf16_or_32("Title".encode("utf-16")), _utf16_or_32("Title".encode("utf-16-be"))
    ('UTF-16', 'UTF-16')
    >>> _utf16_or_32(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00"), _utf16_or_32("Title".encode("utf-32"))
    (None, 'UTF-32')
    """
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    sample = head[:1024]
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        units = len(sample) // width
        for low in range(width):  # the byte of each unit that holds Latin letters: LE or BE
            padding = sum(sample[i::width][:units].count(0) for i in range(width) if i != low)
            if units >= 4 and padding >= 0.9 * units * (width - 1) and sample[low::width][:units].count(0) < units / 10:
                return name
    return None


def read_papers(path, fmt=None, skip_bad=False, warn=None):
    """Yield the papers of the dump at ``path`` (opened once, closed when done)."""
    with open_dump(path) as dump:
        yield from dump.papers(fmt, skip_bad=skip_bad, warn=warn)


# --- Text: titles and abstracts read by the page's structure --------------------------

# A sentence ends at . ! or ? before a capital or digit, or at the end of the line.
SENTENCE_END = regex.compile(r"(?<!\b(?:e\.g|i\.e|vs|al|cf|etc|Fig|Eq|\p{Lu}))[.!?](?=[\"')\]]*(?:\s+[\p{Lu}\d]|$))")
MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE = rf"""(?: (?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\ )?       # weekday: Thu, / Thursday
                (?: {MONTH}\ \d{{1,2}}(?:st|nd|rd|th)?(?:,?\ \d{{4}})?   # Mar 14 / March 14th, 2024
                  | \d{{1,2}}(?:st|nd|rd|th)?\ (?:of\ )?{MONTH},?(?:\ \d{{4}})?  # 14 Mar 2024 / 14th of March
                  | {MONTH}\ \d{{4}}                                # March 2024
                  | \d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}             # 2024-03-14 / 2024/3/14
                  | \d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}}           # 03/14/2024 / 14.03.24
                  )
                (?:(?:,?\ (?:at\ )?|T)\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?  # time: 10:30 / T10:30:00.000
                   \ ?(?:[ap]\.?m\.?|z|utc|gmt|[+-]\d{{2}}:?\d{{2}})?)?
              | (?:\d+|an?|one)\ (?:second|minute|hour|day|week|month|year)s?\ ago  # 2 days ago
              | yesterday | today | just\ now
              )"""
COUNTED = r"(?:up)?votes?|likes?|comments?|authors?|stars?|views?|points?|citations?|repl(?:y|ies)|downloads?|followers?|papers?"
NAME_PART = r"(?:\p{Lu}\.(?:-\p{Lu}\.)?|\p{Lu}[\p{L}'’\-]*)"  # a capitalized name or an initial: Jean-Pierre, J.-P.
NAME = rf"""(?>(?-i:              # atomic: a name never gives back a part; capitalized, whatever the flags
           {NAME_PART}
           (?:\ (?:(?:van|von|de|der|den|del|della|di|da|du|dos|le|la|bin|al|el)\ )*  # particles: van der
              {NAME_PART}){{1,3}}                                       # two to four parts: J. R. R. Tolkien
           \*?\d*))"""                                                    # footnote marks: Smith*1
# Short lines that are page chrome, never a title: each alternative is one kind of line.
CHROME = regex.compile(
    rf"""^(?: [^\p{{L}}]*                                 # no letters: counts, symbols, "·", "42"
            | [^\p{{L}}\d]*\d[\d,.]*\s?[km]?\s*(?:{COUNTED})  # a count of things: 42 upvotes, · 5 authors
            | (?:{COUNTED}):?\ \d[\d,.]*[km]?                # the thing, then its count: Upvotes: 42
            | (?:(?:published|submitted|posted|updated|last\ updated|added|released|announced)
                 (?:\ on|\ at)?:?\ )?{DATE}                  # a date, in any format: Published on Dec 2
            | (?:submitted|posted|shared|curated|uploaded|added|recommended)\ by\b.*  # Submitted by akhaliq
            | (?-i:by)\ ?\S.*                                # a by-line: "byAK and the research community"
            | (?:authors?:\ )?{NAME}(?:(?:,\ |\ ·\ |;\ ){NAME})+(?:,?\ (?:and|&)\ {NAME})?  # A. Smith, B. Jones and C. Lee
                 (?:,?\ (?:et\ al\.?|\+\ ?\d+(?:\ authors?)?|and\ \d+\ others))?
            | (?:authors?:\ )?{NAME},?\ et\ al\.?            # Smith et al.
            | (?:new|subscribe|upvote|follow|share|sign\ up|log\ in|daily|weekly|monthly|trending|top
                 |latest|recent|popular|featured|papers?|today'?s?|this|week|month|day|of|the|previous
                 |next|load|more|view|all|see|show|sort|by|votes|home|search|submit|hugging|face|models
                 |datasets|spaces|posts|docs|collections|abstract|authors|pdf|code|arxiv|page|[-:|·\ ])+
                                                           # headings and buttons: Daily Papers, Trending
            | .{{1,80}}:                                     # a label: "Trending papers this week:"
            )$""",
    regex.X | regex.I,
)
GLUED_SUBSCRIBE = regex.compile(r"^Subscribe(?=\S)")  # one layout glues the button to the first title
ABSTRACT_WORDS = 25  # an abstract has at least this many words and a sentence end ...
LONG_WORDS = 60  # ... or this many words whatever its punctuation


def line_kind(line):
    """What a non-blank line of a page is: "abstract", "title" or "chrome".

    An abstract is a long paragraph of sentences; a title is a short line that does not
    read as a sentence; any other short line is page chrome.

    >>> [line_kind(x) for x in ("Mar 14", "Published on Dec 2, 2024", "2024-03-14", "3 days ago",
    ...                         "Submitted by akhaliq", "42", "▲ 128", "12 upvotes", "Daily Papers",
    ...                         "Ada Lovelace, Alan M. Turing, Grace Hopper", "Get papers in your inbox!")]
    ['chrome', 'chrome', 'chrome', 'chrome', 'chrome', 'chrome', 'chrome', 'chrome', 'chrome', 'chrome', 'chrome']
    >>> line_kind("Fast, Accurate, and Lightweight Super-Resolution with Cascading Residual Network")
    'title'
    >>> line_kind("Do Vision Transformers See Like Convolutional Neural Networks?")
    'title'
    """
    words = line.split(None, LONG_WORDS)  # counting further would not change the answer
    if len(words) >= LONG_WORDS or (len(words) >= ABSTRACT_WORDS and SENTENCE_END.search(line)):
        return "abstract"
    return "chrome" if CHROME.match(line) or _reads_as_sentence(line, words) else "title"


def _reads_as_sentence(line, words):
    """Ends with . or ! and is written as a sentence: a title capitalizes most of its words.

    >>> _reads_as_sentence("Get papers in your inbox!", "Get papers in your inbox!".split())
    True
    >>> title = "Some Black Boxes Were Meant to Remain Closed!"
    >>> _reads_as_sentence(title, title.split())
    False
    """
    if not line.endswith((".", "!")):
        return False
    later = [word for word in words[1:] if len(word) > 3]  # a sentence capitalizes its first word too
    return len(later) < 2 or sum(word[0].isupper() for word in later) * 2 <= len(later)


def _pair(lines, warn, name="text"):
    """(line number of the title, Paper) for each abstract and the title line before it.

    A title with no abstract after it, or an abstract with no title before it, is reported
    through ``warn`` with its line number and left out; the next pair starts afresh, so
    one unexpected line never shifts the titles of the pairs after it.
    """
    title = None
    for number, line in lines:
        line = GLUED_SUBSCRIBE.sub("", line)
        kind = line_kind(line) if line else "chrome"
        if kind == "title":
            if title:
                warn(f"{name}: line {title[0]}: title with no abstract; skipped: {title[1][:60]!r}")
            title = (number, line)
        elif kind == "abstract":
            if title:
                yield title[0], Paper(title=title[1], abstract=line)
            else:
                warn(f"{name}: line {number}: abstract with no title; skipped: {line[:60]!r}")
            title = None
    if title:
        warn(f"{name}: line {title[0]}: title with no abstract; skipped: {title[1][:60]!r}")


def _read_text(dump, skip_bad, warn):
    for number, paper in _pair(dump.lines(), warn, dump.name):
        yield f"line {number}", paper


# --- JSON Lines and JSON lists ------------------------------------------------------

def _read_jsonl(dump, skip_bad, warn):
    for number, line in dump.lines():
        if not line:
            continue
        try:
            yield f"line {number}", _paper(json.loads(line), "title", "abstract")
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as e:
            _bad(f"{dump.name}: line {number}: {_why(e)}", skip_bad, warn)


def _read_json(dump, skip_bad, warn):
    for index, (number, item) in enumerate(_json_list(dump)):
        try:
            paper = dict(item["paper"])
            paper.setdefault("publishedAt", item.get("publishedAt"))
            yield f"item {index} (line {number})", _paper(paper, "title", "summary", date_key="publishedAt")
        except (TypeError, KeyError, AttributeError, ValueError) as e:
            _bad(f"{dump.name}: item {index} (line {number}): {_why(e)}", skip_bad, warn)


def _bad(problem, skip_bad, warn):
    if not skip_bad:
        raise DumpError(problem)
    warn(problem)


class _JsonText:
    """A JSON text read in chunks: the unread part in ``buffer`` from ``pos``, and the
    line ``pos`` is on, so one item at a time is held in memory, never the whole list."""

    def __init__(self, dump):
        self.dump = dump
        self.chunks = self._decoded()
        self.buffer, self.pos, self.line, self.eof = "", 0, 1, False

    def _decoded(self):
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        for block in iter(lambda: self.dump.file.read(CHUNK), b""):
            yield decoder.decode(block)
        yield decoder.decode(b"", final=True)

    def read_more(self, size):
        """Append at least ``size`` more characters; False at the end of the input."""
        self.line += self.buffer.count("\n", 0, self.pos)  # drop what is parsed
        self.buffer, self.pos = self.buffer[self.pos:], 0
        added = 0
        while added < size and not self.eof:
            try:
                text = next(self.chunks)
            except StopIteration:
                self.eof = True
                break
            except UnicodeDecodeError:
                raise DumpError(f"{self.dump.name}: near line {self.where()}: not valid UTF-8; "
                                "re-encode it as UTF-8") from None
            self.buffer += text
            added += len(text)
        return added > 0

    def where(self):
        return self.line + self.buffer.count("\n", 0, self.pos)

    def peek(self):
        """The next character that is not white space ("" at the end), left unread."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buffer) or not self.read_more(CHUNK):
                return self.buffer[self.pos:self.pos + 1]

    def value(self):
        """The next JSON value, reading more of the input until it is complete."""
        decoder = json.JSONDecoder()
        while True:
            try:
                value, end = decoder.raw_decode(self.buffer, self.pos)
                if end < len(self.buffer) or self.eof:  # a number at the end may go on
                    self.pos = end
                    return value
            except json.JSONDecodeError as e:
                # an error well before the end of what is read is not for want of more text
                cut_short = e.pos > len(self.buffer) - 32 or e.msg.startswith("Unterminated string")
                if self.eof or not cut_short:
                    raise DumpError(f"{self.dump.name}: broken JSON ({e.msg} at line {self.line + e.lineno - 1})") from None
            except RecursionError:
                raise DumpError(f"{self.dump.name}: line {self.where()}: JSON nested too deeply") from None
            if len(self.buffer) - self.pos > MAX_LINE:
                raise DumpError(f"{self.dump.name}: line {self.where()}: a JSON item longer than "
                                f"{MAX_LINE:,} characters")
            self.read_more(max(CHUNK, len(self.buffer) - self.pos))


def _json_list(dump):
    """(line, item) for each item of a JSON list, parsed one at a time."""
    text = _JsonText(dump)
    if text.peek() != "[":
        raise DumpError(f"{dump.name}: expected a JSON list of daily papers")
    text.pos += 1
    if text.peek() == "]":
        text.pos += 1
    else:
        while True:
            text.peek()
            yield text.where(), text.value()
            separator = text.peek()
            text.pos += 1
            if separator == "]":
                break
            if separator != ",":
                raise DumpError(f"{dump.name}: broken JSON (expected ',' or ']' at line {text.where()})")
    if text.peek():
        raise DumpError(f"{dump.name}: broken JSON (extra data after the list at line {text.where()})")


def _paper(record, title_key, abstract_key, id_key="id", date_key="update_date"):
    title, abstract = _text(record, title_key, required=True), _text(record, abstract_key, required=True)
    title, abstract = " ".join(title.split()), " ".join(abstract.split())
    if not title or not abstract:
        raise ValueError("empty title or abstract")
    raw_id = record.get(id_key)
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):  # some dumps give numeric ids
        raw_id = str(raw_id)
    arxiv_id, version = split_arxiv_id(_text({id_key: raw_id}, id_key)) if raw_id else (None, None)
    return Paper(
        title=title,
        abstract=abstract,
        arxiv_id=arxiv_id,
        arxiv_version=version,
        published=_text(record, date_key),
        authors=_names(record, "authors"),
        categories=_names(record, "categories"),
    )


def _text(record, key, required=False):
    """A string field, or None when absent; anything else is a ValueError naming it."""
    value = record[key] if required else record.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string, not {_json_type(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError(f"{key!r} holds a lone surrogate ({value[e.start]!r}), not valid Unicode") from None
    return value


def _names(record, key):
    """Authors or categories: a string, or a list of strings or of objects with a name."""
    value = record.get(key)
    if isinstance(value, list):
        items = [item.get("name") if isinstance(item, dict) else item for item in value]
        value = ", ".join(_text({key: item}, key, required=True) for item in items)
    return _text({key: value}, key)


def _json_type(value):
    return {dict: "an object", list: "a list", bool: "a boolean", float: "a number",
            int: "a number"}.get(type(value), type(value).__name__)


def _why(error):
    if isinstance(error, KeyError):
        return f"missing field {error.args[0]!r}"
    if isinstance(error, json.JSONDecodeError):
        return f"broken JSON: {error.msg} at column {error.colno}"
    if isinstance(error, RecursionError):
        return "JSON nested too deeply"
    if isinstance(error, (TypeError, AttributeError)):
        return "expected a JSON object with title and abstract"
    return str(error)
