"""claimboard's Datasette plugin: what metadata.yml cannot say.

- cells: leaderboard links, paper titles linked to their page, the claimed number
  highlighted inside its sentence;
- the paper page: the abstract with every claim highlighted in place (from the stored
  offsets) and the dumps the paper appeared in;
- a bound on the length of any value SQL makes, so that the time limit holds.
"""
import sqlite3

from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode
from markupsafe import Markup, escape

# Longest string or blob a query may make or read (bytes). Datasette's time limit checks
# between SQLite steps, and one step building a huge value (hex(zeroblob(1e8))) would run,
# and fill memory, past it; abstracts are a few KB.
MAX_VALUE_BYTES = 100_000
# printf('%.*c', 2e9, 'x') spends 20 s in one step even when the length limit has already
# failed it (SQLite 3.40): printf and its alias format are refused.
REFUSED_FUNCTIONS = {"printf", "format"}


def highlight(text, spans):
    """HTML of ``text`` with each (start, end, title) span wrapped in <mark>.

    >>> str(highlight("up to 4x faster", [(6, 8, "speedup")]))
    'up to <mark class="claim" title="speedup">4x</mark> faster'
    """
    out, at = [], 0
    for start, end, title in sorted(spans):
        if start < at or end > len(text):
            continue  # overlapping or stale offsets: leave the text as it is
        out.append(escape(text[at:start]))
        out.append(Markup('<mark class="claim" title="{}">{}</mark>').format(title, text[start:end]))
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def _keys(row):
    try:
        return set(row.keys())
    except AttributeError:
        return set()


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if database != "claims" or value is None:
        return None
    keys = _keys(row)
    if column == "leaderboard" and isinstance(value, str) and value.startswith("/claims/leaderboard?"):
        return Markup('<a href="{}">open</a>').format(datasette.urls.path(value))
    if column == "title" and "paper_id" in keys and table != "papers":
        href = datasette.urls.row("claims", "papers", tilde_encode(row["paper_id"]))
        return Markup('<a href="{}">{}</a>').format(href, value)
    if column == "sentence" and "text" in keys and row["text"] and row["text"] in value:
        start = value.index(row["text"])
        return highlight(value, [(start, start + len(row["text"]), row["text"])])
    return None


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name != "row" or database != "claims" or table != "papers":
        return {}

    async def paper_page():
        paper_id = tilde_decode(request.url_vars["pks"])  # arXiv ids have dots: 2401~2E66666
        db = datasette.get_database("claims")
        paper = (await db.execute("select * from papers where id = ?", [paper_id])).first()
        if paper is None:
            return {}
        claims = (await db.execute(
            """select id, text, value, value_max, scale, unit, type, metric, dataset, method,
                      baseline, qualifier, start, end from claims
               where paper_id = ? and abstract_hash = ? order by start""",
            [paper_id, paper["abstract_hash"]])).rows
        dumps = (await db.execute(
            """select d.id, d.file_name, d.ingested_at, a.position from appearances a
               join dumps d on d.id = a.dump_id where a.paper_id = ? order by d.seq""",
            [paper_id])).rows
        spans = [(c["start"], c["end"], f"{c['type']}: {c['metric']}") for c in claims]
        return {
            "claimboard_paper": paper,
            "claimboard_abstract": highlight(paper["abstract"], spans),
            "claimboard_claims": claims,
            "claimboard_dumps": dumps,
        }

    return paper_page


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.set_authorizer(_authorize)


def _authorize(action, arg1, arg2, database, trigger):
    if action == sqlite3.SQLITE_FUNCTION and arg2.lower() in REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@hookimpl
def extra_css_urls(database):
    return [{"url": "/-/static-plugins/claimboard/claimboard.css"}]
