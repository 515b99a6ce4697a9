"""Each input format, well-formed and malformed; text read by its structure."""
import codecs
import hashlib
import json
import os
import tracemalloc
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.papers import DumpError, line_kind, open_dump, read_papers
from schema.build import bundled_dumps

# Written for the test: two abstracts long enough to read as paragraphs of sentences.
FAST = ("FastNet: Faster Nets", "We present FastNet, a network that removes redundant layers from deep "
        "convolutional models. Experiments on standard image classification benchmarks show that "
        "FastNet makes nets 3x faster while keeping their accuracy within one point.")
SLOW = ("SlowNet: Slower Nets", "We study what happens when deep networks are made deliberately slower "
        "by repeating every layer. On the same benchmarks as prior work, SlowNet makes nets 2x slower "
        "and, surprisingly, no more accurate than the networks it starts from.")
PAPERS = [FAST, SLOW]

LAYOUT_BLANK_LINES = f"""new

Get trending papers in your email inbox!

Subscribe

byAK and the research community

Mar 14

{FAST[0]}

{FAST[1]}

{SLOW[0]}

{SLOW[1]}
"""
LAYOUT_ALTERNATING = f"""Get trending papers in your email inbox once a day!
Get trending papers in your email inbox!
Subscribe{FAST[0]}
{FAST[1]}
{SLOW[0]}
{SLOW[1]}
"""
PLAIN_TEXT = "".join(f"{title}\n{abstract}\n" for title, abstract in PAPERS)
JSONL = "\n".join(json.dumps(r) for r in [
    {"id": "2401.00001v2", "title": FAST[0], "abstract": FAST[1],
     "authors": "A. Author", "update_date": "2024-01-02", "categories": "cs.LG"},
    {"title": SLOW[0], "abstract": SLOW[1].replace("slower ", "slower\n ")},
]) + "\n"
API_JSON = json.dumps([
    {"paper": {"id": "2401.00001", "title": FAST[0], "summary": FAST[1],
               "publishedAt": "2024-01-02T00:00:00.000Z", "authors": [{"name": "A. Author"}]}},
    {"paper": {"id": "2401.00002", "title": SLOW[0], "summary": SLOW[1]}},
], indent=1)
BOM = codecs.BOM_UTF8.decode("utf-8")


@pytest.mark.parametrize("name,content,fmt", [
    ("blank.txt", LAYOUT_BLANK_LINES, "text"),
    ("alternating.txt", LAYOUT_ALTERNATING, "text"),
    ("plain.txt", PLAIN_TEXT, "text"),  # no page header: sniffed by its structure
    ("arxiv.jsonl", JSONL, "jsonl"),
    ("daily.json", API_JSON, "json"),
    # a UTF-8 byte order mark is read and dropped, in every format
    ("bom-blank.txt", BOM + LAYOUT_BLANK_LINES, "text"),
    ("bom-alternating.txt", BOM + LAYOUT_ALTERNATING, "text"),
    ("bom-plain.txt", BOM + PLAIN_TEXT, "text"),
    ("bom.jsonl", BOM + JSONL, "jsonl"),
    ("bom.json", BOM + API_JSON, "json"),
])
def test_each_format_gives_the_same_papers(write, name, content, fmt):
    path = write(name, content)
    with open_dump(path) as dump:
        assert dump.sniff() == fmt
    warnings = []
    papers = list(read_papers(path, warn=warnings.append))
    assert [(p.title, p.abstract) for p in papers] == PAPERS and warnings == []


def test_arxiv_ids_and_metadata_are_kept(write):
    paper = next(read_papers(write("a.jsonl", JSONL)))
    assert (paper.id, paper.arxiv_version, paper.authors, paper.published, paper.categories) == (
        "2401.00001", "v2", "A. Author", "2024-01-02", "cs.LG")
    api = next(read_papers(write("a.json", API_JSON)))
    assert (api.id, api.arxiv_version, api.authors, api.published) == (
        "2401.00001", None, "A. Author", "2024-01-02T00:00:00.000Z")


def test_title_hash_id_is_stable_across_formats(write):
    text = list(read_papers(write("a.txt", LAYOUT_BLANK_LINES)))
    alternating = list(read_papers(write("b.txt", LAYOUT_ALTERNATING)))
    assert [p.id for p in text] == [p.id for p in alternating]
    assert text[0].id.startswith("t")


# The papers of each bundled dump as the reader before the structural one read them:
# count, and SHA-256 of the JSON list of [title, abstract] pairs.
BUNDLED = {"000_88d7014220eadba9.txt": (66, "088bb5bda42a0fb2"),
           "001_eaa1cd8e17f6e22e.txt": (89, "d0fd8bc72c3799fa"),
           "002_54eef4c03f0d8f4f.txt": (192, "40569b867d50c9d2")}


def pairs_digest(papers):
    return hashlib.sha256(json.dumps([[p.title, p.abstract] for p in papers]).encode()).hexdigest()[:16]


@pytest.mark.parametrize("path", bundled_dumps(), ids=os.path.basename)
def test_bundled_dumps_read_as_before(path):
    warnings = []
    papers = list(read_papers(path, warn=warnings.append))
    assert (len(papers), pairs_digest(papers)) == BUNDLED[os.path.basename(path)] and warnings == []
    assert not any(p.title.startswith("Subscribe") for p in papers)


def test_bundled_dumps_hold_all_papers_of_the_gold():
    papers = [p for path in bundled_dumps() for p in read_papers(path)]
    assert len(papers) == 347 and len({p.id for p in papers}) == 333


# Lines of page chrome, one per row, as pages print them: never a title, never an abstract.
@pytest.mark.parametrize("line", [
    "Mar 14", "March 14th, 2024", "14 Mar 2024", "Thu, Mar 14", "Thursday, March 14, 2024", "March 2024",
    "2024-03-14", "2024/3/14", "03/14/2024", "14.03.2024", "2024-12-02T10:30:00.000Z", "Dec 2, 2024 at 10:30 am",
    "Published on Dec 2", "Published on Dec 2, 2024", "Submitted on 2024-12-02", "Updated 3 days ago",
    "2 days ago", "an hour ago", "yesterday",
    "42", "1,234", "▲ 128", "+3", "#1", "·", "42 upvotes", "· 5 authors", "1.2k likes", "Upvotes: 42",
    "Submitted by akhaliq", "Submitted by AK on Dec 2", "byAK and the research community", "by AK",
    "Ada Lovelace, Alan M. Turing, Grace Hopper", "J. Smith, B. van der Berg and C. Lee",
    "Xiaohan Chen, Jean-Pierre Dupont, Zhang Wei, et al.", "Authors: Ada Lovelace, Grace Hopper",
    "Smith et al.", "Yann LeCun · Yoshua Bengio · Geoffrey Hinton",
    "new", "Subscribe", "Daily Papers", "Trending Papers", "Top papers of the day", "Hugging Face",
    "Load more", "Papers this week:", "Get trending papers in your email inbox once a day!",
])
def test_page_chrome_lines(line):
    assert line_kind(line) == "chrome"


@pytest.mark.parametrize("line", [  # titles of the bundled dumps and SciREX, and some written for the test
    "Stitchable Neural Networks", "Multi-Objective GFlowNets", "SNAC: Multi-Scale Neural Audio Codec",
    "Fast, Accurate, and Lightweight Super-Resolution with Cascading Residual Network",
    "Locally Regularized Neural Differential Equations: Some Black Boxes Were Meant to Remain Closed!",
    "Do Vision Transformers See Like Convolutional Neural Networks?", "xLSTM: Extended Long Short-Term Memory",
    "Llama 2: Open Foundation and Fine-Tuned Chat Models", "Attention Is All You Need",
    "Segment Anything", "Mixtral of Experts", "Learning rates, batch sizes and weight decay",
    "On the statistical theory of self-gravitating collisionless "
    "dark matter flow: Scale and redshift variation of velocity and density distributions",
])
def test_titles_read_as_titles(line):
    assert line_kind(line) == "title"


def test_abstracts_read_as_abstracts():
    assert {line_kind(p.abstract) for path in bundled_dumps() for p in read_papers(path)} == {"abstract"}
    assert {line_kind(p.title) for path in bundled_dumps() for p in read_papers(path)} == {"title"}


# Lines as pages print them (written for the test), to insert anywhere in a dump.
NAMES = st.from_regex(r"\A[A-Z][a-z]{2,9}( [A-Z]\.)? [A-Z][a-z]{2,11}\Z")
DATE_FORMATS = ["%b %d", "%B %d, %Y", "%Y-%m-%d", "%d %b %Y", "%m/%d/%Y", "%d.%m.%Y", "%a, %b %d",
                "%A, %B %d, %Y", "%Y-%m-%dT%H:%M:%SZ", "%B %Y", "%b %d, %Y"]
CHROME_LINES = st.one_of(
    st.builds(lambda prefix, day, form: prefix + day.strftime(form),
              st.sampled_from(["", "Published on ", "Submitted on ", "Updated "]),
              st.dates(date(2015, 1, 1), date(2030, 12, 31)), st.sampled_from(DATE_FORMATS)),
    st.builds("{} {} ago".format, st.integers(1, 30), st.sampled_from(["days", "hours", "weeks"])),
    st.builds(lambda n, form: form.format(n), st.integers(0, 99_999),
              st.sampled_from(["{}", "{:,}", "▲ {}", "{} upvotes", "· {} authors", "{} comments", "Upvote {}"])),
    st.builds("Submitted by {}".format, st.from_regex(r"\A[a-zA-Z][a-zA-Z0-9_\-]{1,15}\Z")),
    st.builds(", ".join, st.lists(NAMES, min_size=2, max_size=8)),
    st.builds("{}, et al.".format, NAMES),
    st.sampled_from(["Daily Papers", "Trending Papers", "Top papers of the day", "new", "Subscribe",
                     "Hugging Face", "by AK and the research community", "Load more", ""]),
)


@pytest.mark.parametrize("path", bundled_dumps(), ids=os.path.basename)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(insertions=st.lists(st.tuples(st.floats(0, 1), CHROME_LINES), max_size=40))
def test_chrome_inserted_anywhere_changes_no_paper(tmp_path, path, insertions):
    lines = open(path, encoding="utf-8").read().splitlines()
    for where, line in insertions:
        lines.insert(round(where * len(lines)), line)
    if lines[0].startswith("Subscribe"):
        lines[0] = lines[0].removeprefix("Subscribe")
    changed = tmp_path / "changed.txt"
    changed.write_text("\n".join(lines), encoding="utf-8")
    warnings = []
    papers = list(read_papers(changed, warn=warnings.append))
    assert (len(papers), pairs_digest(papers)) == BUNDLED[os.path.basename(path)] and warnings == []


def another_day():
    """A page from another day (written for the test from bundled papers): a header the
    bundled dumps lack, and before each paper its submitter and upvotes, after its title
    the authors and the date."""
    papers = list(read_papers(bundled_dumps()[-1]))[:40]
    lines = ["Daily Papers", "by AK and the research community", "Published on Dec 2, 2024", ""]
    for number, paper in enumerate(papers):
        lines += [f"Submitted by user{number}", str(3 * number + 1), paper.title,
                  "Wei Zhang, Ana García-López, J. Smith", "Published on Dec 2", "", paper.abstract, ""]
    return "\n".join(lines), papers


def test_a_page_from_another_day(write):
    text, expected = another_day()
    warnings = []
    with open_dump(write("another-day.txt", text)) as dump:
        assert dump.sniff() == "text"
        papers = list(dump.papers(warn=warnings.append))
    assert [(p.title, p.abstract) for p in papers] == [(p.title, p.abstract) for p in expected]
    assert warnings == []


@pytest.mark.parametrize("lines,papers,warnings", [
    # a title with no abstract is left out and the next title starts afresh
    (["A Lost Title", FAST[0], FAST[1], SLOW[0], SLOW[1]], PAPERS,
     ["line 1: title with no abstract"]),
    (["Subscribe", FAST[0], FAST[1], "A Lost Title", SLOW[0], SLOW[1], "The Last Title"], PAPERS,
     ["line 4: title with no abstract", "line 7: title with no abstract"]),
    # an abstract with no title is left out; the pairs after it keep their titles
    ([FAST[1], SLOW[0], SLOW[1]], [SLOW], ["line 1: abstract with no title"]),
    ([FAST[0], FAST[1], SLOW[1], SLOW[0], SLOW[1]], PAPERS, ["line 3: abstract with no title"]),
])
def test_pairs_never_shift_and_problems_are_reported(write, lines, papers, warnings):
    reported = []
    path = write("page.txt", "\n".join(lines))
    assert [(p.title, p.abstract) for p in read_papers(path, fmt="text", warn=reported.append)] == papers
    assert [w.split(": ", 1)[1][:len(expected)] for w, expected in zip(reported, warnings)] == warnings
    assert len(reported) == len(warnings)


def test_a_paper_twice_in_one_dump_is_read_once(write):
    lines = [{"id": "2401.00001", "title": FAST[0], "abstract": FAST[1]},
             {"id": "2401.00001v2", "title": FAST[0] + " (revised)", "abstract": FAST[1]},  # same paper
             {"id": "2401.00002", "title": SLOW[0], "abstract": SLOW[1]}]
    warnings = []
    papers = list(read_papers(write("twice.jsonl", "\n".join(map(json.dumps, lines))), warn=warnings.append))
    assert [(p.id, p.title) for p in papers] == [("2401.00001", FAST[0]), ("2401.00002", SLOW[0])]
    assert len(warnings) == 1 and "line 2: paper 2401.00001 already read from this dump" in warnings[0]


def test_json_list_is_read_one_item_at_a_time(write):
    abstract = " ".join([FAST[1]] * 6)  # as long as a real one
    items = [{"paper": {"id": f"2401.{n:05d}", "title": FAST[0], "summary": abstract}} for n in range(10_000)]
    path = write("big.json", items)
    assert path.stat().st_size > 14_000_000
    with open_dump(path) as dump:
        papers = dump.papers()
        next(papers)
        assert dump.file.tell() < 200_000  # the first paper comes before the file is read
        tracemalloc.start()
        count = 1 + sum(1 for _ in papers)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert count == 10_000 and peak < 2_000_000  # json.load would hold the whole list; this, ids


@pytest.mark.parametrize("name,content,message", [
    ("missing.txt", None, "no such file"),
    ("empty.txt", "", "empty file"),
    ("blank.txt", "\n\n  \n", "empty file"),
    ("binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
    ("utf16.txt", PLAIN_TEXT.encode("utf-16"), "UTF-16 text; re-encode it as UTF-8"),
    ("utf16-no-bom.txt", PLAIN_TEXT.encode("utf-16-le"), "UTF-16 text; re-encode it as UTF-8"),
    ("utf32.jsonl", JSONL.encode("utf-32"), "UTF-32 text; re-encode it as UTF-8"),
    ("latin1.txt", "Subscribe\nCaf\xe9 Net\nabstract\n".encode("latin-1"), "line 2: not valid UTF-8"),
    ("notes.md", "# My notes\n\nNothing to see.\n", "not a dump"),
    ("chrome.txt", "Subscribe\n\nMar 14\n", "no papers found"),
    ("titles.txt", "Subscribe\nA title\nAnother title\n", "no papers found"),
    ("broken.jsonl", '{"title": "A", "abstract": "B"}\n{"title": "C", "abs\n', "line 2: broken JSON"),
    ("nofield.jsonl", '{"title": "A"}\n', "line 1: missing field 'abstract'"),
    ("notobject.jsonl", '{"title": "A", "abstract": "B"}\n[1, 2]\n', "line 2: expected a JSON object"),
    ("nested.jsonl", '{"title": "A", "abstract": ' + "[" * 100_000 + "\n", "line 1: JSON nested too deeply"),
    ("surrogate.jsonl", '{"title": "A\\ud800", "abstract": "B"}\n', "line 1: 'title' holds a lone surrogate"),
    ("objectid.jsonl", '{"id": {"x": 1}, "title": "A", "abstract": "B"}\n', "line 1: 'id' must be a string, not an object"),
    ("objectdate.jsonl", '{"title": "A", "abstract": "B"}\n{"title": "C", "abstract": "D", "update_date": {}}\n',
     "line 2: 'update_date' must be a string, not an object"),
    ("truncated.json", '[{"paper": {"id": "1", "title": "A", "summary": "B"}', "broken JSON"),
    ("brokenitem.json", '[\n{"paper": {"title": "A", "summary": "B"}},\n{"paper": {"title": "C", "summary": D}}'
     + ',\n{"paper": {"title": "E", "summary": "F"}}' * 20_000 + "]", "broken JSON (Expecting value at line 3)"),
    ("object.json", '[{"paper": {"id": "1", "title": "A"}}]', "item 0 (line 1): missing field 'summary'"),
    ("nested.json", "[" * 100_000, "line 1: JSON nested too deeply"),
    ("objectdate.json", '[\n{"paper": {"title": "A", "summary": "B"}},\n{"paper": {"title": "C", "summary": "D",'
     '\n "publishedAt": {"d": 1}}}]', "item 1 (line 3): 'publishedAt' must be a string, not an object"),
    ("extra.json", '[{"paper": {"title": "A", "summary": "B"}}] [', "extra data after the list"),
    ("huge.jsonl", '{"title": "A", "abstract": "' + "x" * 1_000_001 + '"}\n', "longer than 1,000,000"),
])
def test_bad_input_is_one_clear_error(write, tmp_path, name, content, message):
    path = tmp_path / name if content is None else write(name, content)
    with pytest.raises(DumpError) as error:
        list(read_papers(path))
    assert message in str(error.value)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_what_cannot_be_opened_says_why(tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "file.txt").write_text(PLAIN_TEXT)
    for path, message in [(tmp_path, "is a directory"), (tmp_path / "loop", "too many levels of symbolic links"),
                          (tmp_path / "file.txt" / "x", "not a directory")]:
        with pytest.raises(DumpError, match=message):
            list(read_papers(path))


def test_a_file_name_that_is_not_utf8_is_shown_and_read(tmp_path):
    path = os.path.join(os.fsencode(tmp_path), b"day\xff.txt")
    with open(path, "w") as f:
        f.write(PLAIN_TEXT)
    with open_dump(os.fsdecode(path)) as dump:
        assert dump.name.endswith("day\ufffd.txt") and len(list(dump.papers())) == 2


def test_skip_bad_goes_on_and_reports_the_line(write):
    path = write("mixed.jsonl", '{"title": "A", "abstract": "B 3x faster"}\nnot json\n'
                 '{"title": "C", "abstract": ' + "[" * 100_000 + '\n{"title": "D", "abstract": "E"}\n')
    warnings = []
    papers = list(read_papers(path, skip_bad=True, warn=warnings.append))
    assert [p.title for p in papers] == ["A", "D"]
    assert len(warnings) == 2 and "line 2" in warnings[0] and "line 3: JSON nested too deeply" in warnings[1]


def test_digest_is_of_the_bytes_and_reading_goes_on(write):
    path = write("plain.txt", PLAIN_TEXT)
    with open_dump(path) as dump:
        assert dump.digest == hashlib.sha256(path.read_bytes()).hexdigest()
        assert len(list(dump.papers())) == 2
