"""The ``claimboard`` command: a thin click layer over extract/, schema/ and leaderboards/."""
import contextlib
import csv
import functools
import json
import os
import socket
import sqlite3
import sys
import tempfile

import click

from extract.claims import explain, extract_or_skip
from extract.claims import human_text as explain_text
from extract.evaluate import boards_text, deciding_rules, read_boards, read_gold, score, score_boards
from extract.evaluate import human_text as eval_text
from extract.papers import FORMATS, DumpError, open_dump, read_papers
from schema import diff as diffing
from schema import records
from schema.build import build as build_db
from schema.build import bundled_dumps, check_database

DEFAULT_DB = "claims.db"
FORMAT = click.option("--format", "fmt", type=click.Choice(FORMATS), help="Force the input format (default: detect).")
SKIP_BAD = click.option("--skip-bad", is_flag=True, help="Report malformed records and go on.")


def friendly_errors(exit_code=2):
    """Bad input ends in one line on stderr and a non-zero exit, never a traceback."""
    def wrap(command):
        @functools.wraps(command)
        def run(*args, **kwargs):
            try:
                return command(*args, **kwargs)
            except BrokenPipeError:  # `claimboard extract | head`: the reader has what it wanted
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                sys.exit(0)
            except DumpError as e:
                click.echo(f"Error: {e}", err=True)
            except sqlite3.DatabaseError as e:
                click.echo(f"Error: database: {e}", err=True)
            except OSError as e:
                click.echo(f"Error: {e.filename or ''}: {e.strerror}", err=True)
            sys.exit(exit_code)
        return run
    return wrap


def _warn(message):
    click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="claimboard")
def cli():
    """Numeric claims from ML paper abstracts, as leaderboards served by Datasette.

    Start with `claimboard build` (bundled example dumps into claims.db), then
    `claimboard serve`.
    """


@cli.command()
@click.argument("db", default=DEFAULT_DB, type=click.Path(dir_okay=False))
@click.argument("dumps", nargs=-1, type=click.Path())
@FORMAT
@SKIP_BAD
@click.option("--jobs", "-j", type=click.IntRange(1), default=os.cpu_count() or 1, show_default=True,
              help="Worker processes for extraction; the output is the same for any number.")
@click.option("--fresh", is_flag=True, help="Start from an empty database instead of adding to DB.")
@click.option("--json", "as_json", is_flag=True, help="Print the per-dump summary as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or per-dump lines.")
@friendly_errors()
def build(db, dumps, fmt, skip_bad, jobs, fresh, as_json, quiet):
    """Ingest DUMPS (default: the bundled examples) into the SQLite database DB.

    The database is written beside DB and moved into place only when complete; a dump
    already ingested (same content, any name) is skipped.
    """
    dumps = list(dumps) or bundled_dumps()
    log = (lambda msg: None) if quiet or as_json else _warn
    bar = None
    if sys.stderr.isatty() and not quiet and not as_json:
        bar = click.progressbar(length=0, label="papers", file=sys.stderr, show_pos=True)
    progress = (lambda n: bar.update(n)) if bar else None
    summaries = build_db(db, dumps, fmt=fmt, jobs=jobs, fresh=fresh, skip_bad=skip_bad, log=log,
                         progress=progress)
    if bar:
        bar.render_finish()
    if as_json:
        click.echo(json.dumps(summaries, indent=2))
    elif not quiet:
        added_ids = [s["dump_id"] for s in summaries if not s.get("skipped")]
        with contextlib.closing(sqlite3.connect(db)) as connection:
            total = connection.execute("select count(*) from dumps").fetchone()[0]
            kinds = dict(connection.execute(f"""select kind, count(*) from records
                where dump_id in ({', '.join('?' * len(added_ids))}) group by kind""", added_ids).fetchall())
        click.echo(f"{db}: {len(added_ids)} dump(s) added, {total} in total; board records: "
                   f"{kinds.get(records.NEW_BEST, 0)} new best, {kinds.get(records.FIRST, 0)} first on a board",
                   err=True)


@cli.command()
@click.argument("dumps", nargs=-1, type=click.Path())
@FORMAT
@SKIP_BAD
@click.option("--csv", "as_csv", is_flag=True, help="CSV instead of JSON Lines.")
@click.option("--sentence", is_flag=True, help="Add each claim's sentence.")
@click.option("--explain", "explaining", is_flag=True,
              help="For every number: kept or dropped, the rule that decided, and the words each field was read from.")
@click.option("--json", "as_json", is_flag=True, help="With --explain: one JSON object per paper instead of text.")
@friendly_errors()
def extract(dumps, fmt, skip_bad, as_csv, sentence, explaining, as_json):
    """Print the claims of DUMPS (default: the bundled examples) as JSON Lines.

    Each line has the fields of the claim spec plus `start`/`end`, the offsets of
    `text` in the abstract. With --explain, why each number is or is not a claim.
    """
    writer = None
    for path in list(dumps) or bundled_dumps():
        with open_dump(path) as dump:
            for paper in dump.papers(fmt, skip_bad=skip_bad, warn=_warn):
                if explaining:
                    explained = explain(paper.title, paper.abstract)
                    click.echo(json.dumps({"paper": paper.title, "numbers": explained}, ensure_ascii=False)
                               if as_json else explain_text(paper.title, explained))
                    continue
                claims, skipped = extract_or_skip(paper.title, paper.abstract)
                if skipped:
                    _warn(f"warning: {dump.name}: {paper.title[:60]!r}: {skipped}")
                for claim in claims:
                    row = claim.as_dict(sentence=sentence)
                    if as_csv:
                        writer = writer or _csv_writer(row.keys())
                        writer.writerow(row)
                    else:
                        click.echo(json.dumps(row, ensure_ascii=False))


def _csv_writer(fields):
    writer = csv.DictWriter(sys.stdout, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    return writer


@cli.command(name="eval")
@click.argument("gold", type=click.Path())
@click.argument("dumps", nargs=-1, type=click.Path())
@FORMAT
@click.option("--boards", is_flag=True, help="Score the leaderboards built from DUMPS instead of the claims.")
@click.option("--json", "as_json", is_flag=True, help="Figures as JSON.")
@click.option("--errors", is_flag=True,
              help="List misses, false positives (each with the rule that decided its number) and field "
                   "disagreements (with --boards: wrong entries and uncovered gold groups).")
@friendly_errors()
def evaluate(gold, dumps, fmt, boards, as_json, errors):
    """Score extraction on DUMPS (default: the bundled examples) against GOLD claims.

    Precision, recall and F1 over claims matched by paper and value, then agreement on
    each field of the matched claims, as the claim spec's scoring section defines them.
    With --boards: board precision, board recall and split boards of the leaderboards
    built from DUMPS into a temporary database, as the spec's leaderboard section says.
    """
    gold_claims = read_gold(gold)
    dumps = list(dumps) or bundled_dumps()
    if boards:
        with tempfile.TemporaryDirectory(prefix="claimboard-eval-") as folder:
            db = os.path.join(folder, "claims.db")
            build_db(db, dumps, fmt=fmt, log=lambda message: None)
            result = score_boards(gold_claims, *read_boards(db))
        render, details = boards_text, ("wrong", "uncovered")
    else:
        papers = [p for path in dumps for p in read_papers(path, fmt, warn=_warn)]
        predicted = [c.as_dict() for p in papers for c in extract_or_skip(p.title, p.abstract)[0]]
        result = score(gold_claims, predicted)
        if errors:
            deciding_rules(result, papers)
        render, details = eval_text, ("misses", "false_positives", "disagreements")
    if as_json:
        if not errors:
            for key in details:
                result.pop(key)
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(render(result, errors=errors))


@cli.command()
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path(), required=False)
@click.option("--dump", "dump_names", multiple=True,
              help="With a database: the dump (file name or id) to compare; give it twice to pick both sides.")
@FORMAT
@click.option("--json", "as_json", is_flag=True, help="Plain data: new_records (new bests), revised (per re-listed paper), "
              "first_on_board, record_counts, papers_added, "
              "papers_removed, titles_changed, claims_added, claims_removed, claims_changed.")
@click.option("--csv", "as_csv", is_flag=True, help="One CSV row per change.")
@friendly_errors(exit_code=2)
def diff(old, new, dump_names, fmt, as_json, as_csv):
    """What changed from OLD to NEW: new records first (NEW's results beating OLD's best on
    a board), then revised numbers (claims of re-listed papers whose value changed), then
    how many papers were added and removed.

    Each side is a dump file or a built database. With one database and no NEW, its two
    most recent dumps are compared (or the ones named by --dump). Exit status: 0 when
    nothing differs, 1 when something does, 2 on error, as diff(1).
    """
    old_side, new_side = diffing.sides(old, new, list(dump_names), fmt)
    result = diffing.report(old_side, new_side)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    elif as_csv:
        writer = _csv_writer(diffing.CSV_FIELDS)
        writer.writerows(diffing.csv_rows(result))
    else:
        click.echo(diffing.human_text(result))
    sys.exit(0 if diffing.is_empty(result) else 1)


@cli.command()
@click.argument("db", default=DEFAULT_DB, type=click.Path(dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", "-p", default=8001, show_default=True, type=int)
@click.option("--build/--no-build", "build_first", default=None,
              help=f"Build DB from the bundled dumps first (default: only {DEFAULT_DB}, when it is missing).")
@click.option("--allow-sql", is_flag=True,
              help="Let visitors run their own SQL (still bounded in time and size; off by default).")
@friendly_errors()
def serve(db, host, port, build_first, allow_sql):
    """Serve DB with Datasette: leaderboards, paper pages, search and the JSON API.

    Runs Datasette read-only (immutable) with claimboard's metadata.yml and its SQL time
    and row limits. A rebuild of DB is served from the next request on, no restart needed.
    """
    from leaderboards.serve import run
    missing = not os.path.exists(db)
    if missing and build_first is None and os.path.basename(db) != DEFAULT_DB:  # a typo is no new database
        click.echo(f"Error: {db}: no such database; build it with `claimboard build {db}` or pass --build", err=True)
        sys.exit(2)
    if build_first or (build_first is None and missing):
        build_db(db, bundled_dumps(), log=_warn)
    check_database(db)
    _check_port(host, port)
    click.echo(f"Serving {db} at http://{host}:{port}/", err=True)
    run(db, host=host, port=port, allow_sql=allow_sql)


def _check_port(host, port):
    """One line and exit 2 when the port is taken, before anything says "Serving"."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            s.bind((host, port))
        except OSError as e:
            click.echo(f"Error: cannot serve at {host}:{port}: {e.strerror}; choose another with --port", err=True)
            sys.exit(2)


if __name__ == "__main__":
    cli()
