"""claimboard's benchmarks: prints a table of figures (nothing here asserts a time).

    python benchmarks/run.py                      # everything (about 25 minutes on 2 cores)
    python benchmarks/run.py --quick              # every section, small sizes (a few minutes)
    python benchmarks/run.py --only quantulum     # just the ratio to quantulum3

Figures: extraction throughput on one core (bundled dumps repeated, synthetic corpus),
claimboard against quantulum3 side by side on the same 300 abstracts (when installed:
pip install -e '.[bench]'), the bare digit-scan floor, build time and peak memory per corpus
size and worker count, a leaderboard query through a real datasette server, claimboard diff
on two 100,000-paper dumps, and the adversarial inputs' time on doubling (the tests count
their work instead: tests/test_robustness.py).
"""
import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import warnings
from datetime import date
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.claims import extract  # noqa: E402
from extract.papers import read_papers  # noqa: E402
from schema.build import bundled_dumps  # noqa: E402
from tests.test_cli import free_port  # noqa: E402

NUMBER = regex.compile(r"\d+(?:[.,]\d+)?")
WORDS = ["Fast", "Sparse", "Deep", "Neural", "Efficient", "Scalable", "Robust", "Adaptive", "Latent", "Linear"]


def bundled_papers():
    seen, papers = set(), []
    for path in bundled_dumps():
        for paper in read_papers(path):
            if paper.id not in seen:
                seen.add(paper.id)
                papers.append(paper)
    return papers


def generate(path, n, seed=0, edit_share=0.0):
    """N abstracts as JSON Lines in the arXiv snapshot's shape, built from the bundled ones
    with titles and numbers varied; ``edit_share`` of them get one number revised (for diff)."""
    rng = random.Random(seed)
    base = bundled_papers()
    edit = random.Random(seed + 1)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            paper = base[i % len(base)]
            abstract = NUMBER.sub(lambda m: _vary(m[0], rng), paper.abstract)
            if edit_share and edit.random() < edit_share:
                abstract = NUMBER.sub(lambda m: str(int(float(m[0].replace(",", ""))) + 1), abstract, count=1)
            f.write(json.dumps({
                "id": f"{2400 + i // 100000}.{i % 100000:05d}", "title": f"{WORDS[i % 10]}{i}: {paper.title}",
                "abstract": abstract, "authors": "A. Author, B. Author", "update_date": "2024-03-14",
                "categories": "cs.LG"}) + "\n")


def _vary(number, rng):
    if rng.random() < 0.5:
        return number  # half the numbers stay as written
    if "." in number:
        head, tail = number.split(".", 1)
        return f"{head}.{''.join(rng.choice('0123456789') for _ in tail)}"
    return number


def throughput(texts, fn, min_seconds=2.0, clock=time.perf_counter):
    """Abstracts per second of fn over texts, passes repeated for at least min_seconds of clock."""
    done, start = 0, clock()
    while True:
        for title, abstract in texts:
            fn(title, abstract)
        done += len(texts)
        elapsed = clock() - start
        if elapsed >= min_seconds:
            return done / elapsed


def digit_scan(title, abstract):
    return sum(1 for _ in NUMBER.finditer(abstract))


def quantulum_parse():
    warnings.filterwarnings("ignore", module="quantulum3")  # its optional classifier is not needed here
    try:
        from quantulum3 import parser
    except ImportError:
        return None
    return lambda title, abstract: parser.parse(abstract)


def run_build(corpus, jobs, workdir):
    """(seconds, peak MB of the main process, peak MB of one worker) of a fresh build."""
    db = Path(workdir) / f"bench-{jobs}.db"
    code = ("import resource, sys, time; from claimboard.cli import cli; t = time.perf_counter()\n"
            "try:\n    cli(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
            "kids_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
            "print(time.perf_counter() - t, self_mb, kids_mb)")
    out = subprocess.run([sys.executable, "-c", code, "build", str(db), str(corpus), "--fresh", "-q", "-j", str(jobs)],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    seconds, main_mb, worker_mb = map(float, out.stdout.split()[-3:])
    return seconds, main_mb, worker_mb, db


def leaderboard_latency(db, requests=30):
    """Median and p95 milliseconds of the leaderboard canned query through datasette."""
    import sqlite3
    conn = sqlite3.connect(db)
    dataset, metric = conn.execute(
        """select d.dataset, c.metric from claims c join claim_datasets d on d.claim_id = c.id
           where c.type = 'score' group by 1, 2 order by count(*) desc limit 1""").fetchone()
    conn.close()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "claimboard.cli", "serve", str(db), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = (f"http://127.0.0.1:{port}/claims/leaderboard.json?_shape=array&dataset="
           f"{urllib.parse.quote(dataset)}&metric={urllib.parse.quote(metric)}")
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(url, timeout=30).read()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.3)
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            rows = json.loads(urllib.request.urlopen(url, timeout=30).read())
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        return statistics.median(times), times[int(0.95 * (len(times) - 1))], len(rows), f"{metric} on {dataset}"
    finally:
        server.terminate()
        server.wait(10)


def diff_seconds(workdir, n):
    old, new = Path(workdir) / "old.jsonl", Path(workdir) / "new.jsonl"
    generate(old, n, seed=7)
    generate(new, n, seed=7, edit_share=0.01)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "claimboard.cli", "diff", str(old), str(new), "--json"],
                         capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    result = json.loads(out.stdout)
    return seconds, len(result["claims_changed"]), len(result["claims_added"]) + len(result["claims_removed"])


def best_time(text, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        extract("T", text)
        times.append(time.perf_counter() - start)
    return min(times)


def adversarial(size):
    from tests.test_robustness import ADVERSARIAL
    rows = []
    for name, make in ADVERSARIAL.items():
        small, large = best_time(make(size), runs=2), best_time(make(2 * size), runs=2)
        rows.append((name, small, large, large / max(small, 1e-3)))
    return rows


def side_by_side(texts, parse, rounds):
    """Per round: (claimboard abstracts/s, quantulum3 abstracts/s, ratio), in CPU time.

    Absolute speeds differ twofold between machines of one kind; the ratio does not, if
    both are measured on the same machine at the same time. So each round runs both on the
    same abstracts one after the other, each charged only the CPU time it used. (Taking
    turns abstract by abstract was tried: each evicts the other's caches, which costs
    claimboard a third of its speed, an artefact no real run has.)"""
    for fn in (extract, parse):
        for title, abstract in texts[:5]:  # warm-up: lazy vocabularies, quantulum3's models
            fn(title, abstract)
    rows = []
    for _ in range(rounds):
        ours = throughput(texts, extract, 1, time.process_time)
        theirs = throughput(texts, parse, 0, time.process_time)  # one pass: it takes seconds
        rows.append((ours, theirs, ours / theirs))
    return rows


SECTIONS = ("extraction", "quantulum", "build", "diff", "adversarial")
RATIO_FLOOR = 90  # claimboard must stay at least this many times faster than quantulum3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="every section at small sizes: 10,000 papers, one worker, 1 quantulum3 round")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=SECTIONS, metavar="SECTION",
                        help=f"run only these sections: {', '.join(SECTIONS)}")
    parser.add_argument("--sizes", type=int, nargs="*", help="build corpus sizes (default 10000 100000 1000000)")
    parser.add_argument("--jobs", type=int, nargs="*", help="build worker counts (default 1 2)")
    parser.add_argument("--diff-papers", type=int, help="papers per dump for diff (default 100000)")
    parser.add_argument("--rounds", type=int, help="claimboard/quantulum3 rounds (default 3)")
    args = parser.parse_args()
    sizes = args.sizes or ([10_000] if args.quick else [10_000, 100_000, 1_000_000])
    jobs = args.jobs or ([1] if args.quick else [1, 2])
    diff_papers = args.diff_papers or (10_000 if args.quick else 100_000)
    rounds = args.rounds or (1 if args.quick else 3)
    work = tempfile.mkdtemp(prefix="claimboard-bench-")
    try:
        print(f"# claimboard benchmarks, {date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}")
        texts = [(p.title, p.abstract) for p in bundled_papers()]
        if "extraction" in args.only:
            extraction(texts, work)
        if "quantulum" in args.only:
            against_quantulum(texts[:300], rounds)
        if "build" in args.only:
            builds(sizes, jobs, work)
        if "diff" in args.only:
            seconds, changed, other = diff_seconds(work, diff_papers)
            print(f"\n## claimboard diff, two {diff_papers:,}-paper dumps (1% of abstracts with a revised number)")
            print(f"{seconds:.1f} s end to end (reading both, extracting only changed abstracts); "
                  f"{changed:,} claims changed, {other:,} added or removed")
        if "adversarial" in args.only:
            print("\n## Adversarial inputs: time on doubling (best of 2; smaller sizes time only noise)")
            print("| input | 1 MB | 2 MB | ratio |\n|---|---|---|---|")
            for name, small, large, ratio in adversarial(1_000_000):
                print(f"| {name} | {small:.2f}s | {large:.2f}s | {ratio:.2f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def extraction(texts, work):
    claimboard_rate = throughput(texts, extract)
    floor = throughput(texts, digit_scan)
    print("\n## Extraction, one core (abstracts/s)")
    print("| corpus | claimboard | digit-scan floor | claimboard's share of the floor |")
    print("|---|---|---|---|")
    print(f"| bundled dumps ({len(texts)} abstracts, repeated) | {claimboard_rate:,.0f} | {floor:,.0f} | "
          f"{claimboard_rate / floor:.1%} |")
    synthetic = Path(work) / "synthetic.jsonl"
    generate(synthetic, 20_000, seed=1)
    syn_texts = [(p.title, p.abstract) for p in read_papers(synthetic)]
    syn_rate, syn_floor = throughput(syn_texts, extract, 5), throughput(syn_texts, digit_scan, 2)
    print(f"| synthetic (20,000 abstracts) | {syn_rate:,.0f} | {syn_floor:,.0f} | {syn_rate / syn_floor:.1%} |")


def against_quantulum(sample, rounds):
    print(f"\n## claimboard against quantulum3, side by side on the same {len(sample)} abstracts, one core "
          f"(CPU time; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    parse = quantulum_parse()
    if not parse:
        print("quantulum3 not installed: pip install -e '.[bench]'")
        return
    rows = side_by_side(sample, parse, rounds)
    print("| round | claimboard abstracts/s | quantulum3 abstracts/s | ratio |\n|---|---|---|---|")
    for i, (ours, theirs, ratio) in enumerate(rows, 1):
        print(f"| {i} | {ours:,.0f} | {theirs:,.1f} | {ratio:,.0f}x |")
    ratio = statistics.median(r[2] for r in rows)
    verdict = "yes" if ratio >= RATIO_FLOOR else "NO"
    print(f"\nratio claimboard/quantulum3: {ratio:,.0f}x (median of {len(rows)} rounds); "
          f"at least {RATIO_FLOOR}x: {verdict}")


def builds(sizes, jobs_list, work):
    print("\n## Build (fresh database, JSON Lines corpus)")
    print("| abstracts | workers | seconds | abstracts/s | peak MB main | peak MB per worker | database MB |")
    print("|---|---|---|---|---|---|---|")
    biggest_db = None
    for size in sizes:
        corpus = Path(work) / f"corpus-{size}.jsonl"
        generate(corpus, size, seed=size)
        for jobs in jobs_list:
            seconds, main_mb, worker_mb, db = run_build(corpus, jobs, work)
            worker = f"{worker_mb:,.0f}" if jobs > 1 else "-"
            print(f"| {size:,} | {jobs} | {seconds:,.1f} | {size / seconds:,.0f} | {main_mb:,.0f} | {worker} | "
                  f"{db.stat().st_size / 1e6:,.0f} |", flush=True)
            if size == max(sizes):
                biggest_db = shutil.copy(db, Path(work) / "biggest.db")
            db.unlink()
        corpus.unlink()
    if biggest_db:
        median, p95, rows, what = leaderboard_latency(biggest_db)
        print(f"\n## Leaderboard query through datasette, {max(sizes):,}-abstract database")
        print(f"leaderboard ({what}, {rows} rows): median {median:.1f} ms, p95 {p95:.1f} ms over 30 requests")


if __name__ == "__main__":
    main()
