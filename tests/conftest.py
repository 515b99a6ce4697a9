import json
from pathlib import Path

import pytest

from schema.build import build, bundled_dumps

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture(scope="session")
def built_db(tmp_path_factory):
    """claims.db built once from the bundled dumps."""
    path = tmp_path_factory.mktemp("db") / "claims.db"
    build(path, bundled_dumps(), jobs=1, log=lambda msg: None)
    return path


@pytest.fixture
def write(tmp_path):
    """Write a file into the test's folder: text, bytes, or JSON-able data."""
    def write(name, content):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content), encoding="utf-8")
        return path
    return write
