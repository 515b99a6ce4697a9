"""How claimboard runs Datasette: read-only, with its metadata and safety limits."""
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METADATA = ROOT / "metadata.yml"
# Public serving: bounded query time and result size; no arbitrary-SQL downloads of the file.
SETTINGS = {
    "sql_time_limit_ms": 2000,
    "max_returned_rows": 1000,
    "allow_download": "off",
    "facet_time_limit_ms": 500,
    "default_page_size": 50,
}


def served_path(db):
    """A path to ``db`` named claims.db: Datasette names a database after its file, and
    metadata.yml configures the database "claims"."""
    db = Path(db).resolve()
    if db.name == "claims.db":
        return db
    link = Path(tempfile.mkdtemp(prefix="claimboard-")) / "claims.db"
    os.symlink(db, link)
    return link


def datasette_args(db, host="127.0.0.1", port=8001):
    """Arguments for `datasette serve` on a claimboard database."""
    args = ["serve", "-i", str(served_path(db)), "-m", str(METADATA), "--host", host, "--port", str(port)]
    for name, value in SETTINGS.items():
        args += ["--setting", name, str(value)]
    return args
