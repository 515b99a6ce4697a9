"""Read dump files into papers.

Three input formats, detected from the first bytes (``--format`` forces one):

- ``text``: the daily-papers page as text, in either layout (blank-line separated
  paragraphs, or title/abstract on alternating lines with "Subscribe" glued on);
- ``jsonl``: one JSON object per line with ``title`` and ``abstract`` (arXiv snapshot);
- ``json``: a daily-papers API list whose items hold ``paper.id/title/summary``.

Files are read as they are iterated, so memory stays flat however large the dump.
Invalid UTF-8 is refused, not patched: a replaced byte would silently change titles
and claim offsets.
"""
import hashlib
import json
import os
from dataclasses import dataclass

import regex

FORMATS = ("text", "jsonl", "json")
MAX_LINE = 1_000_000  # characters; longer lines are not abstracts


class DumpError(Exception):
    """A dump cannot be read; the message is one line naming the file."""


@dataclass
class Paper:
    title: str
    abstract: str
    arxiv_id: str = None
    published: str = None
    authors: str = None
    categories: str = None

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
    return regex.sub(r"[^\p{L}\p{N}]+", "", title.lower())


# Page chrome of the daily-papers listing, never a title or an abstract.
CHROME = regex.compile(
    r"""^(?: new
          | Subscribe
          | by\s?AK\ and\ the\ research\ community
          | Get\ trending\ papers\ in\ your\ email\ inbox.*
          | (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\ \d{1,2}(?:,\ \d{4})?
          )$""",
    regex.X,
)
GLUED_SUBSCRIBE = regex.compile(r"^Subscribe(?=\S)")


def check_readable(path):
    """The first bytes of a file that exists, is not empty and is not binary."""
    head = _head(path)
    if b"\0" in head:
        raise DumpError(f"{path}: binary file, not a dump")
    if not head.strip():
        raise DumpError(f"{path}: empty file")
    return head


def sniff(path):
    """Guess a file's format from its first non-blank bytes; raise DumpError if none fits."""
    text = check_readable(path).lstrip().decode("utf-8", "ignore")
    if text.startswith("["):
        return "json"
    if text.startswith("{"):
        return "jsonl"
    if "Subscribe" in text or "trending papers" in text:
        return "text"
    raise DumpError(f"{path}: not a dump (no daily-papers page header, not JSON or JSON Lines)")


def _head(path, size=65536):
    if not os.path.exists(path):
        raise DumpError(f"{path}: no such file")
    if os.path.isdir(path):
        raise DumpError(f"{path}: is a directory, not a dump")
    try:
        with open(path, "rb") as f:
            return f.read(size)
    except OSError as e:
        raise DumpError(f"{path}: cannot read ({e.strerror})") from None


def read_papers(path, fmt=None, skip_bad=False, warn=None):
    """Yield the papers of one dump file, streaming.

    ``skip_bad`` reports a malformed JSON line through ``warn`` and goes on instead of
    stopping; a dump that yields no paper at all is an error either way.
    """
    fmt = fmt or sniff(path)
    if fmt not in FORMATS:
        raise DumpError(f"{path}: unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    check_readable(path)
    reader = {"text": _read_text, "jsonl": _read_jsonl, "json": _read_json}[fmt]
    count = 0
    try:
        for paper in reader(path, skip_bad, warn or (lambda msg: None)):
            count += 1
            yield paper
    except UnicodeDecodeError as e:
        raise DumpError(f"{path}: not valid UTF-8 (byte {e.start} of a line); re-encode it as UTF-8") from None
    if count == 0:
        raise DumpError(f"{path}: no papers found ({fmt} format)")


def _lines(path):
    with open(path, encoding="utf-8", newline=None) as f:
        for number, line in enumerate(f, 1):
            if len(line) > MAX_LINE:
                raise DumpError(f"{path}: line {number} is longer than {MAX_LINE:,} characters")
            yield number, line.strip()


def _read_text(path, skip_bad, warn):
    title = None
    for number, line in _lines(path):
        line = GLUED_SUBSCRIBE.sub("", line)
        if not line or CHROME.match(line):
            continue
        if title is None:
            title = (number, line)
        else:
            yield Paper(title=title[1], abstract=line)
            title = None
    if title is not None:
        problem = f"{path}: line {title[0]}: title with no abstract: {title[1][:60]!r}"
        if not skip_bad:
            raise DumpError(problem)
        warn(problem)


def _read_jsonl(path, skip_bad, warn):
    for number, line in _lines(path):
        if not line:
            continue
        try:
            record = json.loads(line)
            yield _paper(record, "title", "abstract")
        except (ValueError, TypeError, KeyError, AttributeError) as e:
            problem = f"{path}: line {number}: {_why(e)}"
            if not skip_bad:
                raise DumpError(problem) from None
            warn(problem)


def _read_json(path, skip_bad, warn):
    try:
        with open(path, encoding="utf-8") as f:
            items = json.load(f)
    except ValueError as e:
        raise DumpError(f"{path}: broken JSON ({_why(e)})") from None
    if not isinstance(items, list):
        raise DumpError(f"{path}: expected a JSON list of daily papers")
    for index, item in enumerate(items):
        try:
            paper = dict(item["paper"])
            paper.setdefault("publishedAt", item.get("publishedAt"))
            yield _paper(paper, "title", "summary", id_key="id", date_key="publishedAt")
        except (TypeError, KeyError, AttributeError, ValueError) as e:
            problem = f"{path}: item {index}: {_why(e)}"
            if not skip_bad:
                raise DumpError(problem) from None
            warn(problem)


def _paper(record, title_key, abstract_key, id_key="id", date_key="update_date"):
    title, abstract = record[title_key], record[abstract_key]
    if not isinstance(title, str) or not isinstance(abstract, str):
        raise ValueError(f"{title_key!r} and {abstract_key!r} must be strings")
    title, abstract = " ".join(title.split()), " ".join(abstract.split())
    if not title or not abstract:
        raise ValueError("empty title or abstract")
    authors = record.get("authors")
    if isinstance(authors, list):
        authors = ", ".join(a.get("name", "") if isinstance(a, dict) else str(a) for a in authors)
    return Paper(
        title=title,
        abstract=abstract,
        arxiv_id=str(record[id_key]) if record.get(id_key) else None,
        published=record.get(date_key),
        authors=authors,
        categories=record.get("categories"),
    )


def _why(error):
    if isinstance(error, KeyError):
        return f"missing field {error.args[0]!r}"
    if isinstance(error, json.JSONDecodeError):
        return f"broken JSON: {error.msg} at column {error.colno}"
    if isinstance(error, (TypeError, AttributeError)):
        return "expected a JSON object with title and abstract"
    return str(error)
