"""The vocabulary files the unit and qualifier rules read hold to their schema: each
entry has the keys and value types the loaders expect, and names only spec values."""
import pytest
import yaml

from extract import vocab

SPEC_UNITS = {"%", "x", "pp", "dB", "ms", "s", "min", "h", "day", "KB", "MB", "GB", "TB", "FLOPs", "params",
              "tokens", "GPUs", "USD", "W", "J", "Hz", "fps", "bits", "points"}
SPEC_QUALIFIERS = {"up_to", "approx", "at_least", "at_most", "average"}
WORDS = list  # a list of non-empty strings, checked by check()
NAMES = "names"  # the same, but it may be empty: a metric or benchmark with no other name

# key -> (type, required); a set as type lists the allowed values
SCHEMAS = {
    "units.yml entry": {"unit": (SPEC_UNITS, True), "forms": (WORDS, True), "scale": ({"K", "M", "B", "T"}, False),
                        "metric": (str, False)},
    "unit_kinds.yml entry": {"kind": ({"time", "memory"}, False), "resource": (bool, False), "size": (bool, False),
                             "metric": (str, False), "adjectival_forms": (WORDS, False)},
}


def check(entry, schema):
    """The schema's complaints about one entry, as a list of strings (empty: it holds)."""
    if not isinstance(entry, dict):
        return [f"not a mapping: {entry!r}"]
    problems = [f"unknown key {key!r}" for key in entry if key not in schema]
    for key, (kind, required) in schema.items():
        if key not in entry:
            problems += [f"missing {key!r}"] if required else []
        elif isinstance(kind, set):
            problems += [] if entry[key] in kind else [f"{key}: {entry[key]!r} not one of {sorted(kind)}"]
        elif kind in (WORDS, NAMES):
            ok = isinstance(entry[key], list) and (entry[key] or kind is NAMES) \
                and all(isinstance(w, str) and w for w in entry[key])
            problems += [] if ok else [f"{key}: not a list of words"]
        elif not isinstance(entry[key], kind):
            problems += [f"{key}: not a {kind.__name__}"]
    return problems


def load(name):
    return yaml.safe_load((vocab.HERE / name).read_text())


@pytest.mark.parametrize("entry, problems", [
    ({"unit": "GB", "forms": ["GB"]}, []),
    ({"unit": "gigabyte", "forms": ["GB"]}, ["unit: 'gigabyte' not one of " + str(sorted(SPEC_UNITS))]),
    ({"unit": "GB", "forms": "GB", "kind": "memory"}, ["unknown key 'kind'", "forms: not a list of words"]),
])
def test_the_checker_finds_what_breaks_a_schema(entry, problems):
    assert check(entry, SCHEMAS["units.yml entry"]) == problems


def test_units_yml():
    entries = load("units.yml")
    assert isinstance(entries, list) and entries
    assert [p for entry in entries for p in check(entry, SCHEMAS["units.yml entry"])] == []


def test_unit_kinds_yml_names_spec_units_and_their_own_forms():
    kinds = load("unit_kinds.yml")
    assert set(kinds) <= SPEC_UNITS
    assert {unit: check(d, SCHEMAS["unit_kinds.yml entry"]) for unit, d in kinds.items()} == \
           {unit: [] for unit in kinds}
    forms = vocab.unit_forms()
    for unit, d in kinds.items():
        assert all(forms.get(form, (None,))[0] == unit for form in d.get("adjectival_forms", ())), unit


def test_qualifiers_yml_gives_each_spec_qualifier_its_own_words():
    data = load("qualifiers.yml")
    assert set(data) == {"qualifiers", "hedges"}
    assert set(data["qualifiers"]) == SPEC_QUALIFIERS
    phrases = [p for words in data["qualifiers"].values() for p in words]
    assert all(isinstance(p, str) and p.strip() == p and p for p in phrases + data["hedges"])
    assert len(phrases) == len(set(phrases))  # a phrase means one qualifier only
    assert len(data["hedges"]) == len(set(data["hedges"]))


METRIC_ENTRY = {"aliases": (NAMES, True), "weak": (WORDS, False), "higher_is_better": ({True, False, None}, True),
                "unit": (SPEC_UNITS | {None}, True), "kind": ({"quality", "speed", "cost"}, True)}


def test_metrics_yml_gives_each_metric_its_direction_unit_and_kind():
    metrics = load("metrics.yml")
    assert {name: check(entry, METRIC_ENTRY) for name, entry in metrics.items()} == {name: [] for name in metrics}
    assert all(name == name.lower() for name in metrics)  # canonical names are the spec's lower-case ones
    aliases = [a.lower() for entry in metrics.values() for a in entry["aliases"] + entry.get("weak", [])]
    assert len(aliases) == len(set(aliases))  # one alias names one metric


def test_datasets_yml_gives_each_benchmark_its_aliases_and_a_known_task():
    data = load("datasets.yml")
    tasks, datasets = data["tasks"], data["datasets"]
    entry = {"aliases": (NAMES, True), "task": (str, True)}
    assert {name: check(d, entry) for name, d in datasets.items()} == {name: [] for name in datasets}
    metrics = load("metrics.yml")
    assert all(canonical in metrics for by_task in tasks.values() for canonical in by_task.values())
    benchmarks = {}  # boards look names up case-blind: each spelling must name one benchmark
    for name, d in datasets.items():
        for spelling in [name, *d["aliases"]]:
            benchmarks.setdefault(spelling.lower(), set()).add(name)
    assert {n: b for n, b in benchmarks.items() if len(b) > 1} == {}


def test_boards_yml_settings_compile_and_name_their_setting():
    import re
    settings = load("boards.yml")["settings"]
    for group, entries in settings.items():
        for entry in entries:
            assert set(entry) == {"pattern", "setting"}, (group, entry)
            pattern = re.compile(entry["pattern"])
            entry["setting"].format(*["g"] * pattern.groups)  # every {n} has its group


def test_counted_nouns_are_single_singular_words():
    nouns = vocab.counted_nouns()
    assert nouns and len(nouns) == len(set(nouns))
    # the pattern adds the plural "s" itself; a listed plural or phrase would never match as written
    assert [n for n in nouns if not n.isalpha() or n.endswith("s")] == []
