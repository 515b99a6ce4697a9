"""claimboard's Datasette plugin: what metadata.yml cannot say.

- cells: leaderboard links, paper titles linked to their page, the claimed number
  highlighted inside its sentence;
- the board page: the other settings its dataset and metric have boards in;
- the paper page: the abstract with every claim highlighted in place (from the stored
  offsets) and the dumps the paper appeared in;
- SQL functions for the canned queries: fts_quote (search words as written, "GPT-4" is
  not a column minus 4), claim_number (a claimed number as written, "38B params") and
  display_text (text without the site's LaTeX debris, wherever text or a sentence is
  shown), setting_key (a setting written any way: "zero-shot, one-step") and gain_text
  ("0.49 lower fid");
- a bad filter value ("seconds__gt=banana") answered with 400 and its message, not 500;
  a refusal (no --allow-sql) to a JSON request in JSON, not an HTML page;
  a feed of a query with no rows (a board with no records yet) an empty feed, not 500.
- the SQL function name_key(), so a board's URL finds it by any name in any case.
- a bound on the length of any value SQL makes, so that the time limit holds, and on
  the bytes of one query's result, so that no request fills the server's memory.
"""
import sqlite3
import weakref

import sqlite_utils
from datasette import hookimpl
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import BadRequest, Response
from datasette.vendored.pint.errors import PintError
from markupsafe import Markup, escape

from extract.vocab import name_key
from schema.boards import setting_key
from schema.build import display_text
from schema.diff import gain_text, number_text

# Longest string or blob a query may make or read (bytes). Datasette's time limit checks
# between SQLite steps, and one step building a huge value (hex(zeroblob(1e8))) would run,
# and fill memory, past it; abstracts are a few KB.
MAX_VALUE_BYTES = 100_000
# printf('%.*c', 2e9, 'x') spends 20 s in one step even when the length limit has already
# failed it (SQLite 3.40): printf and its alias format are refused.
REFUSED_FUNCTIONS = {"printf", "format"}
# Most bytes one query's rows may hold, counted while they are fetched: values under
# MAX_VALUE_BYTES still make hundreds of MB across rows and columns (a cross join of
# 4 x 98 KB columns), all held and encoded at once. A page of 1,000 claims is about 1 MB.
MAX_RESULT_BYTES = 10_000_000


def highlight(text, spans):
    """HTML of ``text`` with each (start, end, title) span wrapped in <mark>, each piece
    shown without the site's LaTeX debris (the offsets are into the text as written).

    >>> str(highlight("up to 4times faster", [(6, 12, "speedup")]))
    'up to <mark class="claim" title="speedup">4×</mark> faster'
    """
    out, at = [], 0
    for start, end, title in sorted(spans):
        if start < at or end > len(text):
            continue  # overlapping or stale offsets: leave the text as it is
        out.append(escape(display_text(text[at:start])))
        out.append(Markup('<mark class="claim" title="{}">{}</mark>').format(title, display_text(text[start:end])))
        at = end
    out.append(escape(display_text(text[at:])))
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
        paper_id = row["paper_id"]
        if isinstance(paper_id, dict):  # a table view gives a foreign key as {"value", "label"}
            paper_id = paper_id["value"]
        href = datasette.urls.row("claims", "papers", tilde_encode(paper_id))
        return Markup('<a href="{}">{}</a>').format(href, value)
    if column == "sentence" and "text" in keys and row["text"]:
        sentence, text = display_text(value), display_text(row["text"])
        if text in sentence:
            start = sentence.index(text)
            return highlight(sentence, [(start, start + len(text), text)])
    return None


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if database == "claims" and request is not None and request.path == datasette.urls.database("claims") + "/leaderboard":
        return _board_settings(datasette, request)
    if view_name != "row" or database != "claims" or table != "papers":
        return {}

    async def paper_page():
        paper_id = tilde_decode(request.url_vars["pks"])  # arXiv ids have dots: 2401~2E66666
        db = datasette.get_database("claims")
        paper = (await db.execute("select * from papers where id = ?", [paper_id])).first()
        if paper is None:
            return {}
        claims = (await db.execute(
            """select id, text, display_text, value, value_max, scale, unit, type, metric, dataset, method,
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


def _board_settings(datasette, request):
    """The board page's "also": the settings its dataset and metric have boards in (the
    board_settings query), so a board asked for with no setting, or the wrong one, leads on."""
    async def settings():
        if not (request.args.get("dataset") and request.args.get("metric")):
            return {}
        query = await datasette.get_canned_query("claims", "board_settings", None)
        params = {name: request.args.get(name, "") for name in ("dataset", "metric")}
        rows = (await datasette.get_database("claims").execute(query["sql"], params)).rows
        return {"claimboard_settings": rows}

    return settings


_QUOTE_FTS = sqlite_utils.Database(memory=True).quote_fts


def fts_quote(search):
    """``search`` as an FTS5 query of its words, each quoted; one with no words an empty
    phrase, which matches nothing (FTS5 refuses an empty query as a syntax error).

    >>> fts_quote('ZeRO++ GPT-4'), fts_quote('""')
    ('"ZeRO++" "GPT-4"', '""')
    """
    return _QUOTE_FTS(search) or '""'


@hookimpl
def prepare_connection(conn):
    conn.create_function("fts_quote", 1, fts_quote, deterministic=True)
    conn.create_function("claim_number", 4, number_text, deterministic=True)
    conn.create_function("display_text", 1, display_text, deterministic=True)
    conn.create_function("name_key", 1, lambda name: name_key(name or ""), deterministic=True)
    conn.create_function("setting_key", 1, setting_key, deterministic=True)
    conn.create_function("gain_text", 4, gain_text, deterministic=True)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.set_authorizer(_authorize)
    conn.row_factory = _bounded_rows()  # Datasette set sqlite3.Row just before this hook


def _bounded_rows():
    """A row factory giving sqlite3.Row, as Datasette's, that fails a query once the rows
    its cursor has fetched hold more than MAX_RESULT_BYTES."""
    fetched = weakref.WeakKeyDictionary()  # cursor -> bytes so far

    def row(cursor, values):
        size = fetched.get(cursor, 0) + sum(len(v) if isinstance(v, (str, bytes)) else 8 for v in values)
        if size > MAX_RESULT_BYTES:
            raise sqlite3.OperationalError(f"result too large: over {MAX_RESULT_BYTES // 1_000_000} MB; "
                                           "ask for fewer rows or columns")
        fetched[cursor] = size
        return sqlite3.Row(cursor, values)

    return row


def _authorize(action, arg1, arg2, database, trigger):
    if action == sqlite3.SQLITE_FUNCTION and arg2.lower() in REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _unit_filter_error(exception):
    """The (column, unit, error) of an exception raised while Datasette read a filter value
    on a column with units (metadata.yml), else None. Datasette lets any such error out as
    a 500 (pint's errors, tokenizer errors for "1h)", ZeroDivisionError for "1/0"), wrapped
    in a FrozenInstanceError: the chain is walked for the frame of Filters.convert_unit."""
    from datasette.filters import Filters  # here: at import time it would load the plugins, this one half-made
    while exception is not None:
        tb = exception.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code is Filters.convert_unit.__code__:
                frame = tb.tb_frame.f_locals
                return frame["column"], frame["self"].units[frame["column"]], exception
            tb = tb.tb_next
        exception = exception.__context__
    return None


@hookimpl
def handle_exception(datasette, request, exception):
    """A bad value in a unit filter (?seconds__gt=banana) is the user's input: 400 with
    what went wrong and what would work, on Datasette's own error page or JSON."""
    found = _unit_filter_error(exception)
    if found is None:
        return _empty_feed(datasette, request, exception)
    column, unit, error = found
    why = str(error) if isinstance(error, PintError) else "not a number or a quantity"  # others say little
    message = (f"Cannot filter {column} by that value: {why}. Give a number (in {unit}) or a "
               "quantity with a unit, such as ?seconds__gt=1h or ?bytes__gt=10GB.")
    from datasette.handle_exception import handle_exception as datasette_error_page  # as Filters above
    return datasette_error_page(datasette, request, BadRequest(message))


# Datasette's refusal names only the permission ("execute-sql").
REFUSALS = {"execute-sql": "This server does not run visitors' own SQL (claimboard serve --allow-sql turns it "
                           "on); its tables and canned queries answer in HTML, JSON and CSV."}


@hookimpl
def forbidden(datasette, request, message):
    """A refusal says why in words, in JSON to a JSON request, as Datasette's other errors
    do (its default is an HTML page for every request)."""
    message = REFUSALS.get(message, message)
    if request.path.endswith(".json"):
        return Response.json({"ok": False, "error": message, "status": 403, "title": "Forbidden"}, status=403)

    async def page():
        html = await datasette.render_template("error.html", {"title": "Forbidden", "error": message}, request=request)
        return Response.html(html, status=403)
    return page


def _empty_feed(datasette, request, exception):
    """An Atom feed with no entries where datasette-atom fails on a query with no rows (it
    dates the feed by its newest row): a board with no records yet has an empty feed, not
    an error page."""
    if not (request.path.endswith(".atom") and isinstance(exception, ValueError) and "empty" in str(exception)):
        return None
    from datetime import datetime, timezone

    from feedgen.feed import FeedGenerator
    name = request.path.rsplit("/", 1)[-1].removesuffix(".atom")
    query = ((datasette.metadata(database="claims") or {}).get("queries") or {}).get(name) or {}
    feed = FeedGenerator()
    feed.id(str(request.url))
    feed.link(href=str(request.url), rel="self")
    feed.title(query.get("title") or name)
    feed.updated(datetime.now(timezone.utc))
    return Response(feed.atom_str(pretty=True), content_type="application/xml; charset=utf-8")


@hookimpl
def extra_css_urls(database):
    return [{"url": "/-/static-plugins/claimboard/claimboard.css"}]


DASHBOARD_ACTOR = {"id": "claimboard-dashboard"}


def _dashboard_queries(datasette):
    config = datasette.plugin_config("datasette-dashboards") or {}
    return {chart.get("query") for dashboard in config.values() for chart in dashboard.get("charts", {}).values()}


@hookimpl
def actor_from_request(datasette, request):
    """The overview dashboard draws its charts from SQL run through the JSON API. With
    visitors' own SQL off (serve without --allow-sql), the queries metadata.yml configures
    for it, and its pages, still run: they act as this one actor, which may do nothing else."""
    sql = request.args.get("sql")  # the charts' queries are looked up only for a request that has SQL
    if request.path.startswith("/-/dashboards/") or (sql and sql in _dashboard_queries(datasette)):
        return DASHBOARD_ACTOR
    return None


@hookimpl
def permission_allowed(actor, action):
    if action == "execute-sql" and actor == DASHBOARD_ACTOR:
        return True
    return None
