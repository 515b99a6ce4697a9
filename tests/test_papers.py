"""Each input format, well-formed and malformed."""
import json

import pytest

from extract.papers import DumpError, read_papers, sniff
from schema.build import bundled_dumps

LAYOUT_BLANK_LINES = """new

Get trending papers in your email inbox!

Subscribe

byAK and the research community

Mar 14

FastNet: Faster Nets

We make nets 3x faster.

SlowNet: Slower Nets

We make nets 2x slower.
"""
LAYOUT_ALTERNATING = """Get trending papers in your email inbox once a day!
Get trending papers in your email inbox!
SubscribeFastNet: Faster Nets
We make nets 3x faster.
SlowNet: Slower Nets
We make nets 2x slower.
"""
JSONL = "\n".join(json.dumps(r) for r in [
    {"id": "2401.00001", "title": "FastNet: Faster Nets", "abstract": "We make nets 3x faster.",
     "authors": "A. Author", "update_date": "2024-01-02", "categories": "cs.LG"},
    {"title": "SlowNet: Slower Nets", "abstract": "We make nets\n 2x slower."},
]) + "\n"
API_JSON = json.dumps([
    {"paper": {"id": "2401.00001", "title": "FastNet: Faster Nets", "summary": "We make nets 3x faster.",
               "publishedAt": "2024-01-02T00:00:00.000Z", "authors": [{"name": "A. Author"}]}},
    {"paper": {"id": "2401.00002", "title": "SlowNet: Slower Nets", "summary": "We make nets 2x slower."}},
])


@pytest.mark.parametrize("name,content,fmt", [
    ("blank.txt", LAYOUT_BLANK_LINES, "text"),
    ("alternating.txt", LAYOUT_ALTERNATING, "text"),
    ("arxiv.jsonl", JSONL, "jsonl"),
    ("daily.json", API_JSON, "json"),
])
def test_each_format_gives_the_same_papers(write, name, content, fmt):
    path = write(name, content)
    assert sniff(path) == fmt
    papers = list(read_papers(path))
    assert [(p.title, p.abstract) for p in papers] == [
        ("FastNet: Faster Nets", "We make nets 3x faster."),
        ("SlowNet: Slower Nets", "We make nets 2x slower."),
    ]


def test_arxiv_ids_and_metadata_are_kept(write):
    paper = next(read_papers(write("a.jsonl", JSONL)))
    assert (paper.id, paper.authors, paper.published, paper.categories) == (
        "2401.00001", "A. Author", "2024-01-02", "cs.LG")
    api = next(read_papers(write("a.json", API_JSON)))
    assert (api.id, api.authors, api.published) == ("2401.00001", "A. Author", "2024-01-02T00:00:00.000Z")


def test_title_hash_id_is_stable_across_formats(write):
    text = list(read_papers(write("a.txt", LAYOUT_BLANK_LINES)))
    alternating = list(read_papers(write("b.txt", LAYOUT_ALTERNATING)))
    assert [p.id for p in text] == [p.id for p in alternating]
    assert text[0].id.startswith("t")


def test_bundled_dumps_hold_all_papers_of_the_gold():
    papers = [p for path in bundled_dumps() for p in read_papers(path)]
    assert len(papers) == 347 and len({p.id for p in papers}) == 333
    assert not any(p.title.startswith("Subscribe") for p in papers)


@pytest.mark.parametrize("name,content,message", [
    ("missing.txt", None, "no such file"),
    ("empty.txt", "", "empty file"),
    ("blank.txt", "\n\n  \n", "empty file"),
    ("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
    ("latin1.txt", "Subscribe\nCaf\xe9 Net\nabstract\n".encode("latin-1"), "not valid UTF-8"),
    ("notes.md", "# My notes\n\nNothing to see.\n", "not a dump"),
    ("orphan.txt", "Subscribe\nA title\nIts abstract.\nA title with no abstract\n", "title with no abstract"),
    ("chrome.txt", "Subscribe\n\nMar 14\n", "no papers found"),
    ("broken.jsonl", '{"title": "A", "abstract": "B"}\n{"title": "C", "abs\n', "line 2: broken JSON"),
    ("nofield.jsonl", '{"title": "A"}\n', "line 1: missing field 'abstract'"),
    ("notobject.jsonl", '{"title": "A", "abstract": "B"}\n[1, 2]\n', "line 2: expected a JSON object"),
    ("truncated.json", '[{"paper": {"id": "1", "title": "A", "summary": "B"}', "broken JSON"),
    ("object.json", '[{"paper": {"id": "1", "title": "A"}}]', "item 0: missing field 'summary'"),
    ("huge.jsonl", '{"title": "A", "abstract": "' + "x" * 1_000_001 + '"}\n', "longer than 1,000,000"),
])
def test_bad_input_is_one_clear_error(write, tmp_path, name, content, message):
    path = tmp_path / name if content is None else write(name, content)
    with pytest.raises(DumpError) as error:
        list(read_papers(path))
    assert message in str(error.value)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_directory_is_refused(tmp_path):
    with pytest.raises(DumpError, match="is a directory"):
        list(read_papers(tmp_path))


def test_skip_bad_goes_on_and_reports_the_line(write):
    path = write("mixed.jsonl", '{"title": "A", "abstract": "B 3x faster"}\nnot json\n{"title": "C", "abstract": "D"}\n')
    warnings = []
    papers = list(read_papers(path, skip_bad=True, warn=warnings.append))
    assert [p.title for p in papers] == ["A", "C"]
    assert len(warnings) == 1 and "line 2" in warnings[0]
