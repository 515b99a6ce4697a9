"""`pip install .` (not editable) gets a working claimboard: the wheel holds every
subpackage and every data file the code reads. It once held only the top-level packages,
no extract/claims/ and no metadata.yml."""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a build reads: the project file, its readme, the packages and the metadata they link to.
SOURCES = ["pyproject.toml", "README.md", "metadata.yml", "extract", "schema", "leaderboards", "claimboard"]


def test_the_wheel_holds_the_code_and_its_data(tmp_path):
    source = tmp_path / "source"  # a copy: the build writes build/ and *.egg-info beside the sources
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp_path / "dist", source],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = (tmp_path / "dist").glob("claimboard-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, pattern in [("extract/claims", "*.py"), ("extract/vocab", "*"), ("extract/examples", "*"),
                            ("leaderboards/templates", "*"), ("leaderboards/static", "*")]:
        expected = {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).glob(pattern)}
        assert expected and expected <= names, folder
    metadata = zipfile.ZipFile(wheel).read("leaderboards/metadata.yml")
    assert metadata == (ROOT / "metadata.yml").read_bytes()  # the file itself, not a link
