"""Search benchmark: the Whoosh backend against modelsearch's database backend.

    .venv/bin/python benchmarks/search.py --size 100000
    .venv/bin/python benchmarks/search.py --size 20000 --postgres postgres://postgres@127.0.0.1:5432/searchdb

Builds a synthetic archive of Arabic and French records (titles of 4-12 words,
bodies of 40-250 words, words drawn with a Zipf law from the real sentences of
tests/search/relevance_corpus.py), then prints for each backend, on SQLite and
(with --postgres) on PostgreSQL: batch indexing rate (a full rebuild, as
``manage.py update_index`` runs it: the backend's rebuilder, chunks of --chunk
records), the rate of live ``add_items`` calls (re-indexing records one chunk a
commit, as the task worker does), index size, the time for a saved record to
become searchable, and query latency p50/p95 for one- to three-word queries,
with and without a facet. The database backend is the baseline measured in the
same run; the last column is its figure divided by ours (above 1 means Whoosh is
faster or smaller). Batch indexing is also given per CPU-second of the benchmark
process, which a loaded machine does not change as much as the wall-clock rate.

Queries stop when a backend has spent --query-budget seconds on them (modelsearch's
database backend on SQLite takes seconds per query at 100,000 records); the
table then says how many of the queries were measured. The machine's load
average is printed beside each backend's figures: the benchmark shares the
machine with whatever else runs.

Before and after a change, in one run:

    .venv/bin/python benchmarks/search.py --baseline-ref main --size 10000 100000

checks ``main`` out into a temporary ``git worktree``, runs these same measures
on its code (a subprocess per size, importing the search app from that
worktree), then on the working tree, and prints both tables and their ratio
(above 1: the working tree is faster or smaller), with the load average during
each. Only the Whoosh backend is measured then (the database backend is not what
changes; ``--backends all`` measures it too).

Uses the test settings (for the test-only ``RelevanceDoc`` model) with a fresh
database: a temporary SQLite file, or the given PostgreSQL database (its tables
are dropped and recreated).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The tree whose code is measured: this one, or a baseline's worktree (set by --baseline-ref).
CODE_ROOT = Path(os.environ.get("TAKWIN_BENCH_CODE_ROOT") or ROOT)
sys.path.insert(0, str(CODE_ROOT))

GOALS = {"p95_ms": 100.0, "rate": 500.0, "searchable_s": 5.0}


def vocabulary():
    from search.analysis import WORD_RE
    from tests.search.relevance_corpus import DOCS

    words = {"ar": [], "fr": []}
    for key, (title, body) in DOCS.items():
        words[key[:2]].extend(m.group(0) for m in WORD_RE.finditer(f"{title} {body}"))
    return {lang: sorted(set(w)) for lang, w in words.items()}


def zipf_sampler(words, rng):
    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    shuffled = words[:]
    rng.shuffle(shuffled)

    def sample(n):
        return rng.choices(shuffled, weights=weights, k=n)

    return sample


def make_records(size: int, seed: int = 7):
    from tests.search.testapp.models import RelevanceDoc

    rng = random.Random(seed)
    vocab = vocabulary()
    samplers = {lang: zipf_sampler(words, rng) for lang, words in vocab.items()}
    for i in range(size):
        lang = "ar" if rng.random() < 0.6 else "fr"
        sample = samplers[lang]
        yield RelevanceDoc(
            key=f"r{i}",
            title=" ".join(sample(rng.randint(4, 12))),
            body=" ".join(sample(rng.randint(40, 250))),
            language=lang,
        )


def queries(count: int, seed: int = 11):
    rng = random.Random(seed)
    vocab = vocabulary()
    out = []
    for _ in range(count):
        lang = "ar" if rng.random() < 0.6 else "fr"
        out.append(" ".join(rng.sample(vocab[lang], rng.randint(1, 3))))
    return out


def setup_django(database_url: str, index_dir: str):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = database_url
    import django
    from django.conf import settings

    django.setup()
    conf = {
        "default": {"BACKEND": "search.backends.whoosh", "PATH": index_dir},
        "database": {"BACKEND": "wagtail.search.backends.database"},
    }
    settings.WAGTAILSEARCH_BACKENDS = conf
    settings.MODELSEARCH_BACKENDS = conf


def fresh_database(vendor: str):
    from django.core.management import call_command
    from django.db import connection

    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, run_syncdb=True)


def percentile(values, pct):
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(pct / 100 * (len(values) - 1))))
    return values[index]


def db_index_size(vendor: str, db_path: str | None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('wagtailsearch_indexentry')")
            return cursor.fetchone()[0]
        cursor.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'wagtailsearch_%' OR name LIKE 'wagtailsearch_indexentry_fts%'"
        )
        row = cursor.fetchone()
        return int(row[0] or 0)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def load() -> str:
    """The 1, 5 and 15 minute load averages (2 cores here: above 2 means waiting)."""
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


#: How many already indexed records the live add_items measure re-indexes.
LIVE_SAMPLE = 2000


def measure_backend(
    name: str, size: int, chunk: int, query_list, vendor: str, db_path: str | None, index_dir: str, budget: float
):
    from modelsearch.backends import get_search_backend

    from tests.search.testapp.models import RelevanceDoc

    backend = get_search_backend(name)
    live_index = backend.get_index_for_model(RelevanceDoc)
    load_start = load()
    pks = list(RelevanceDoc.objects.order_by("pk").values_list("pk", flat=True))
    # Batch: a full rebuild, as update_index runs it (chunks read in pk order).
    started = time.perf_counter()
    cpu_started = time.process_time()
    rebuilder = backend.rebuilder_class(live_index) if backend.rebuilder_class else None
    index = rebuilder.start() if rebuilder else live_index
    index.add_model(RelevanceDoc)
    for start in range(0, len(pks), chunk):
        batch = list(RelevanceDoc.objects.filter(pk__in=pks[start : start + chunk]).order_by("pk"))
        index.add_items(RelevanceDoc, batch)
    if rebuilder:
        rebuilder.finish()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    rate = size / elapsed if elapsed else float("inf")
    cpu_rate = size / cpu if cpu else float("inf")
    index = live_index
    index_bytes = dir_size(Path(index_dir)) if name == "default" else db_index_size(vendor, db_path)

    # Live: the worker's add_items on records already in the index (updates).
    sample = pks[: min(LIVE_SAMPLE, len(pks))]
    started = time.perf_counter()
    cpu_started = time.process_time()
    for start in range(0, len(sample), chunk):
        batch = list(RelevanceDoc.objects.filter(pk__in=sample[start : start + chunk]).order_by("pk"))
        index.add_items(RelevanceDoc, batch)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    live_rate = len(sample) / elapsed if elapsed else float("inf")
    live_cpu_rate = len(sample) / cpu if cpu else float("inf")

    # A saved record: the worker's index write, then the first search that sees it.
    searchable = []
    for i in range(5):
        marker = "zqxmarker" + "abcde"[i]
        obj = RelevanceDoc.objects.create(key=f"new-{name}-{i}", title=f"سجل جديد {marker}", body="نص", language="ar")
        t0 = time.perf_counter()
        backend.add(obj)
        index.refresh()
        while backend.search(marker, RelevanceDoc).count() != 1:
            if time.perf_counter() - t0 > 10:
                break
        else:
            searchable.append(time.perf_counter() - t0)

    plain, faceted = [], []
    facet_ok = True
    query_started = time.perf_counter()
    for text in query_list:
        if time.perf_counter() - query_started > budget:
            break
        t0 = time.perf_counter()
        results = backend.search(text, RelevanceDoc)
        list(results[:10])
        results.count()
        plain.append((time.perf_counter() - t0) * 1000)
        if facet_ok:
            t0 = time.perf_counter()
            try:
                backend.search(text, RelevanceDoc).facet("language")
            except NotImplementedError:
                facet_ok = False
                continue
            faceted.append((time.perf_counter() - t0) * 1000)
    return {
        "load": f"{load_start} -> {load()}",
        "queries": f"{len(plain)} of {len(query_list)}",
        "rate": rate,
        "live_rate": live_rate,
        "live_cpu_rate": live_cpu_rate,
        "cpu_rate": cpu_rate,
        "index_mb": index_bytes / 1e6,
        "searchable_s": max(searchable) if len(searchable) == 5 else None,
        "p50_ms": percentile(plain, 50),
        "p95_ms": percentile(plain, 95),
        "facet_p50_ms": percentile(faceted, 50) if faceted else None,
        "facet_p95_ms": percentile(faceted, 95) if faceted else None,
    }


def peak_memory_mb() -> float:
    """The benchmark process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


BACKENDS = {"whoosh": [("default", "whoosh")], "all": [("default", "whoosh"), ("database", "database")]}


def run(
    database_url: str,
    vendor: str,
    size: int,
    chunk: int,
    n_queries: int,
    db_path: str | None,
    budget: float,
    backends: str = "all",
):
    index_dir = tempfile.mkdtemp(prefix="takwin-bench-index-")
    setup_django(database_url, index_dir)
    from tests.search.testapp.models import RelevanceDoc

    fresh_database(vendor)
    t0 = time.perf_counter()
    batch = []
    for record in make_records(size):
        batch.append(record)
        if len(batch) == 5000:
            RelevanceDoc.objects.bulk_create(batch)
            batch = []
    if batch:
        RelevanceDoc.objects.bulk_create(batch)
    print(f"[{vendor}] {size} records written in {time.perf_counter() - t0:.1f} s", flush=True)
    query_list = queries(n_queries)
    figures = {}
    for name, label in BACKENDS[backends]:
        label = f"database ({vendor})" if name == "database" else label
        print(f"[{vendor}] indexing with {label}...", flush=True)
        figures[label] = measure_backend(name, size, chunk, query_list, vendor, db_path, index_dir, budget)
        figures[label]["peak_mb"] = peak_memory_mb()
    shutil.rmtree(index_dir, ignore_errors=True)
    return figures


def fmt(value, unit=""):
    if value is None:
        return "n/a"
    return f"{value:,.1f}{unit}" if isinstance(value, float) else f"{value}{unit}"


ROWS = [
    ("batch indexing (records/s)", "rate", True),
    ("batch indexing (records/CPU-s, *)", "cpu_rate", True),
    (f"live add_items (records/s, {LIVE_SAMPLE:,})", "live_rate", True),
    ("live add_items (records/CPU-s, *)", "live_cpu_rate", True),
    ("index size (MB)", "index_mb", False),
    ("saved -> searchable (s, worst of 5)", "searchable_s", False),
    ("query p50 (ms)", "p50_ms", False),
    ("query p95 (ms)", "p95_ms", False),
    ("query + facet p50 (ms)", "facet_p50_ms", False),
    ("query + facet p95 (ms)", "facet_p95_ms", False),
    ("peak memory of the process so far (MB)", "peak_mb", False),
]


def ratio(a, b, higher_is_better: bool):
    """a against b, above 1 when a is better (faster, smaller)."""
    if not (a and b):
        return None
    return (a / b) if higher_is_better else (b / a)


def report(size: int, vendor: str, figures: dict):
    labels = list(figures)
    if len(labels) == 1:
        report_one(size, vendor, labels[0], figures[labels[0]])
        return
    ours, base = figures[labels[0]], figures[labels[1]]
    rows = ROWS
    print()
    print(f"== {size:,} records, {vendor}")
    print(f"{'':38}{labels[0]:>14}{labels[1]:>24}{'ratio':>10}")
    for title, key, higher_is_better in rows:
        a, b = ours.get(key), base.get(key)
        print(f"{title:38}{fmt(a):>14}{fmt(b):>24}{fmt(ratio(a, b, higher_is_better), 'x'):>10}")
    print(f"{'queries measured':38}{ours['queries']:>14}{base['queries']:>24}")
    print_footer(figures)


def report_one(size: int, vendor: str, label: str, ours: dict):
    print()
    print(f"== {size:,} records, {vendor}")
    for title, key, _ in ROWS:
        print(f"{title:38}{fmt(ours.get(key)):>14}")
    print(f"{'queries measured':38}{ours['queries']:>14}")
    print_footer({label: ours})


def print_footer(figures: dict):
    labels = list(figures)
    ours = figures[labels[0]]
    print("* CPU time of this process only: what batch indexing would reach on an idle core; the")
    print("  database backend's figure leaves out the database server's own CPU time.")
    for label in labels:
        print(f"load average 1/5/15 min during {label}: {figures[label]['load']}")
    goals = [
        ("p95 < 100 ms", ours["p95_ms"] < GOALS["p95_ms"]),
        (">= 500 records/s", ours["rate"] >= GOALS["rate"]),
        ("searchable < 5 s", (ours["searchable_s"] or 1e9) < GOALS["searchable_s"]),
    ]
    print("goals (whoosh): " + ", ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in goals))


def report_comparison(size: int, ref: str, before: dict, after: dict):
    """Both runs' figures side by side, with after against before (above 1: after is better)."""
    print()
    print(f"== {size:,} records, sqlite, whoosh: before ({ref}) and after (working tree), one run")
    print(f"{'':38}{'before':>14}{'after':>14}{'after/before':>14}")
    for title, key, higher_is_better in ROWS:
        a, b = after["whoosh"].get(key), before["whoosh"].get(key)
        print(f"{title:38}{fmt(b):>14}{fmt(a):>14}{fmt(ratio(a, b, higher_is_better), 'x'):>14}")
    print(f"{'queries measured':38}{before['whoosh']['queries']:>14}{after['whoosh']['queries']:>14}")
    print("ratio above 1: the working tree is faster or smaller")
    print(f"load average 1/5/15 min, before: {before['whoosh']['load']}")
    print(f"load average 1/5/15 min, after:  {after['whoosh']['load']}")


def measure_in_subprocess(code_root: Path, size: int, args) -> dict:
    """One --only sqlite run on the code of code_root; its figures come back as JSON."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = out.name
    cmd = [sys.executable, __file__, "--only", "sqlite", "--size", str(size), "--chunk", str(args.chunk)]
    cmd += ["--queries", str(args.queries), "--query-budget", str(args.query_budget)]
    cmd += ["--backends", args.backends or "whoosh", "--json-out", out_path]
    env = {**os.environ, "TAKWIN_BENCH_CODE_ROOT": str(code_root)}
    try:
        subprocess.run(cmd, check=True, env=env)
        return json.loads(Path(out_path).read_text())
    finally:
        os.unlink(out_path)


def compare(args):
    """Measure the baseline ref's code then the working tree's, per size, and print both."""
    # A stopped run still removes its worktree (the finally below).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    worktree = Path(tempfile.mkdtemp(prefix="takwin-bench-baseline-"))
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), args.baseline_ref], check=True
    )
    try:
        commit = subprocess.run(
            ["git", "-C", str(worktree), "rev-parse", "--short", "HEAD"], check=True, capture_output=True, text=True
        ).stdout.strip()
        ref = f"{args.baseline_ref} = {commit}"
        results = []
        for size in args.size:
            print(f"--- {size:,} records: baseline {ref}", flush=True)
            before = measure_in_subprocess(worktree, size, args)
            print(f"--- {size:,} records: working tree", flush=True)
            after = measure_in_subprocess(ROOT, size, args)
            report_comparison(size, ref, before, after)
            results.append((size, before, after))
        print("\n==== all sizes")
        for size, before, after in results:
            report_comparison(size, ref, before, after)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)], check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, nargs="+", default=[100_000], help="one or more record counts")
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--query-budget", type=float, default=300.0, help="seconds of queries per backend before stopping (default 300)"
    )
    parser.add_argument("--postgres", help="PostgreSQL URL to run the same measures on (tables are recreated)")
    parser.add_argument(
        "--baseline-ref", help="git ref whose code is measured first, in a temporary worktree (SQLite only)"
    )
    parser.add_argument(
        "--backends", choices=sorted(BACKENDS), help="all (default) or whoosh (the default with --baseline-ref)"
    )
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.baseline_ref:
        compare(args)
        return

    if args.only is None:
        # One process per database and size: Django is set up once per process.
        targets = ["sqlite"] + (["postgresql"] if args.postgres else [])
        for size in args.size:
            for target in targets:
                cmd = [sys.executable, __file__, "--only", target, "--size", str(size), "--chunk", str(args.chunk)]
                cmd += ["--queries", str(args.queries), "--query-budget", str(args.query_budget)]
                cmd += ["--backends", args.backends or "all"]
                if args.postgres:
                    cmd += ["--postgres", args.postgres]
                subprocess.run(cmd, check=True)
        return

    size = args.size[0]
    backends = args.backends or "all"

    if args.only == "sqlite":
        db_dir = tempfile.mkdtemp(prefix="takwin-bench-db-")
        db_path = os.path.join(db_dir, "bench.sqlite3")
        url = f"sqlite:///{db_path}"
        figures = run(url, "sqlite", size, args.chunk, args.queries, db_path, args.query_budget, backends)
        shutil.rmtree(db_dir, ignore_errors=True)
    else:
        figures = run(args.postgres, "postgresql", size, args.chunk, args.queries, None, args.query_budget, backends)
    report(size, args.only, figures)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
