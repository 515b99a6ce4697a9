"""The claimboard command as a user runs it: real processes, real files."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from extract.claims import FIELDS
from schema.build import bundled_dumps
from tests.conftest import SHARED

BIN = Path(sys.executable).parent / "claimboard"


def claimboard(*args, cwd=None, timeout=300):
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=timeout)


def test_help_everywhere():
    for command in ([], ["build"], ["extract"], ["eval"], ["diff"], ["serve"]):
        result = claimboard(*command, "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout


def test_extract_prints_spec_fields_and_offsets():
    result = claimboard("extract", bundled_dumps()[-1])
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) > 200
    assert all(list(r) == [*FIELDS, "start", "end"] for r in rows)
    zero = [r for r in rows if r["paper"].startswith("ZeRO++:")]
    assert [(r["value"], r["unit"], r["type"], r["method"], r["baseline"]) for r in zero] == [
        (4, "x", "reduction", "ZeRO++", "ZeRO"), (2.16, "x", "speedup", "ZeRO++", "ZeRO")]


def test_extract_into_a_closed_pipe_is_quiet():
    pipe = subprocess.run(f"'{BIN}' extract | head -1", shell=True, capture_output=True, text=True)
    assert pipe.stdout.startswith('{"paper"') and pipe.stderr == ""


def test_extract_csv():
    result = claimboard("extract", "--csv", bundled_dumps()[0])
    assert result.returncode == 0 and result.stdout.splitlines()[0] == ",".join([*FIELDS, "start", "end"])


def test_build_defaults_to_the_bundled_dumps(tmp_path):
    result = claimboard("build", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert [s["papers"] for s in summary] == [66, 89, 192]
    assert (tmp_path / "claims.db").exists()
    again = claimboard("build", cwd=tmp_path)
    assert again.returncode == 0 and again.stderr.count("already ingested; skipped") == 3


def test_eval_prints_the_spec_figures():  # the floors on these figures are in test_quality.py
    result = claimboard("eval", SHARED / "gold" / "dev.jsonl", "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["gold"] == 403 and figures["matched"] <= figures["predicted"]
    assert figures["precision"] == figures["matched"] / figures["predicted"]
    assert figures["recall"] == figures["matched"] / figures["gold"]
    assert set(figures["fields"]) == {"unit", "type", "metric", "dataset", "qualifier", "scale", "method", "baseline"}
    errors = claimboard("eval", SHARED / "gold" / "dev.jsonl", "--errors")
    assert "misses (" in errors.stdout and "false positives (" in errors.stdout
    assert errors.stdout.splitlines()[-1].startswith("precision ")


def test_eval_on_scirex_jsonl():
    result = claimboard("eval", SHARED / "gold" / "scirex.jsonl", SHARED / "scirex" / "abstracts.jsonl")
    assert result.returncode == 0, result.stderr
    assert "F1" in result.stdout.splitlines()[-1]


BAD = [
    ("missing.txt", None, "no such file"),
    ("empty.txt", b"", "empty file"),
    ("binary.dat", bytes(range(256)) * 4, "binary file"),
    ("latin1.txt", "Subscribe\nCaf\xe9 Net\nIt is 3x faster.\n".encode("latin-1"), "not valid UTF-8"),
    ("notes.txt", b"just some notes\nnothing else\n", "not a dump"),
    ("broken.jsonl", b'{"title": "A", "abstract": "B"}\n{"title": \n', "line 2"),
    ("truncated.json", b'[{"paper": {"title": "A", "summary": "B"}', "broken JSON"),
    ("orphan.txt", b"Subscribe\nA title\n", "title with no abstract"),
    ("huge.jsonl", b'{"title": "A", "abstract": "' + b"7" * 1_100_000 + b'"}\n', "longer than"),
]


@pytest.mark.parametrize("command", ["build", "extract", "diff"])
@pytest.mark.parametrize("name,content,message", BAD, ids=[b[0] for b in BAD])
def test_bad_input_one_line_error_and_database_intact(tmp_path, built_db, command, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    db = tmp_path / "claims.db"
    shutil.copy(built_db, db)
    before = db.read_bytes()
    args = {"build": ["build", db, path], "extract": ["extract", path], "diff": ["diff", bundled_dumps()[0], path]}
    result = claimboard(*args[command])
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and name in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_directory_and_bad_gold(tmp_path):
    result = claimboard("extract", tmp_path)
    assert result.returncode == 2 and "is a directory" in result.stderr
    gold = tmp_path / "gold.jsonl"
    gold.write_text("{not json\n")
    result = claimboard("eval", gold)
    assert result.returncode == 2 and "line 1" in result.stderr and "Traceback" not in result.stderr


def test_skip_bad_goes_on(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"title": "A", "abstract": "A is 3x faster."}\n{oops\n{"title": "B", "abstract": "B is 5x faster."}\n')
    result = claimboard("extract", "--skip-bad", path)
    assert result.returncode == 0
    assert [json.loads(line)["value"] for line in result.stdout.splitlines()] == [3, 5]
    assert "line 2" in result.stderr


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            return urllib.request.urlopen(url, timeout=2).read()
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def test_serve_builds_when_missing_and_serves_read_only(tmp_path):
    port = free_port()
    server = subprocess.Popen([str(BIN), "serve", "--port", str(port)], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        body = wait_for(f"http://127.0.0.1:{port}/claims/leaderboard_index.json?_shape=array", 120)
        assert json.loads(body)
        settings = json.loads(wait_for(f"http://127.0.0.1:{port}/-/settings.json"))
        assert settings["sql_time_limit_ms"] == 2000 and settings["max_returned_rows"] == 1000
        databases = json.loads(wait_for(f"http://127.0.0.1:{port}/-/databases.json"))
        assert databases[0]["is_mutable"] is False
    finally:
        server.terminate()
        server.wait(10)
    assert (tmp_path / "claims.db").exists()


def test_plain_datasette_command_works_too(built_db):
    port = free_port()
    env = dict(os.environ)
    server = subprocess.Popen([str(Path(sys.executable).parent / "datasette"), str(built_db), "-m",
                               str(Path(__file__).resolve().parent.parent / "metadata.yml"), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        rows = json.loads(wait_for(f"http://127.0.0.1:{port}/claims/biggest_speedups.json?_shape=array&metric="))
        assert rows[0]["factor"] >= rows[-1]["factor"]
    finally:
        server.terminate()
        server.wait(10)
