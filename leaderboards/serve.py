"""How claimboard runs Datasette: read-only, with its metadata and safety limits.

``app()`` is the configured Datasette (the tests use it too); ``run()`` serves it. The
database is served under the name "claims" whatever its file is called (metadata.yml
configures "claims"), and a rebuilt file is picked up by the next request, by every
SQL thread at once.
"""
import asyncio
import os
from pathlib import Path

import uvicorn
import yaml
from datasette.app import Datasette
from datasette.database import Database, connections

# A link to the project's metadata.yml, so that an installed package carries it too.
METADATA = Path(__file__).resolve().parent / "metadata.yml"
# Public serving: bounded query time and result size; no downloads of the file and no
# CSV streaming (it lifts the row cap); visitors' own SQL only with --allow-sql.
SETTINGS = {
    "sql_time_limit_ms": 2000,
    "max_returned_rows": 1000,
    "allow_download": False,
    "allow_csv_stream": False,
    "default_allow_sql": False,
    "facet_time_limit_ms": 500,
    "default_page_size": 50,
}
NAME = "claims"


def app(db, allow_sql=False):
    """A Datasette serving ``db`` read-only as "claims", with claimboard's metadata and limits."""
    datasette = Datasette(metadata=yaml.safe_load(METADATA.read_text()),
                          settings={**SETTINGS, "default_allow_sql": allow_sql})
    datasette.remove_database("_memory")  # added when Datasette is given no file; _open adds ours
    _open(datasette, os.path.realpath(db))
    return datasette


def _open(datasette, path):
    """Serve the file now at ``path`` under a new Database (fresh caches: table counts)."""
    database = _Database(datasette, path=path, is_mutable=False)
    database.file_id = _file_id(path)
    if NAME in datasette.databases:
        datasette.remove_database(NAME)
    datasette.add_database(database, name=NAME)


class _Database(Database):
    """Datasette keeps one connection per SQL thread and database name; after a rebuild a
    thread must not go on reading the replaced file through the connection it kept."""

    async def execute_fn(self, fn):
        def on_this_file(conn):
            if conn not in self._all_file_connections:  # opened by the Database this one replaced
                conn.close()  # only this thread uses it, and it is here
                conn = self.connect()
                self.ds._prepare_connection(conn, self.name)
                setattr(connections, self.name, conn)
            return fn(conn)
        return await super().execute_fn(on_this_file)


def _file_id(path):
    stat = os.stat(path)
    return stat.st_dev, stat.st_ino


def following_rebuilds(datasette):
    """The ASGI app, switching to the rebuilt file on the first request after a build
    moved it into place: SQLite connections keep reading the file they opened, so each
    thread would otherwise answer from whichever file it happened to open."""
    inner = datasette.app()

    async def asgi(scope, receive, send):
        if scope["type"] == "http":
            path = datasette.databases[NAME].path
            try:
                changed = _file_id(path) != datasette.databases[NAME].file_id
            except FileNotFoundError:
                changed = False  # the file was removed: keep answering from the open one
            if changed:
                _open(datasette, path)
        await inner(scope, receive, send)

    return asgi


def run(db, host="127.0.0.1", port=8001, allow_sql=False):
    datasette = app(db, allow_sql)
    asyncio.run(datasette.invoke_startup())
    uvicorn.run(following_rebuilds(datasette), host=host, port=port, log_level="info", lifespan="on", workers=1)
