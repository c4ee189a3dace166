"""Benchmark of the suggestion ranker (app/core/suggest.py).

Prints accuracy on the evaluation set (tests/data/suggest_eval.toml, built-in phrases),
the tuning and the held-out part apart, then latency at 1k / 10k phrases: the built-in
phrases plus a generated library (tests/bench/gen_library.py) whose phrases get 0-4
example questions each, queried with the evaluation messages, plus build time and memory.

Run: ``.venv/bin/python tests/bench/bench_suggest.py [--sizes 1000,10000] [--misses]``.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen_library
from suggest_eval import builtin_library, evaluate, load_cases, split

from app.core.model import Library
from app.core.suggest import Suggester


def big_library(n: int, seed: int = 1) -> Library:
    """The built-in phrases plus ``n`` generated ones, each with 0-4 built-in example
    questions, half of them with a product name in front (连衣裙什么时候发货)."""
    base = builtin_library()
    gen = gen_library.generate(n, seed)
    pool = [e for p in base.phrases for e in p.examples]
    rnd = random.Random(seed)
    for p in gen.phrases:
        p.examples = [
            (rnd.choice(gen_library._PRODUCTS) if rnd.random() < 0.5 else "") + e
            for e in rnd.sample(pool, rnd.randint(0, 4))
        ]
    lib = Library(base.categories + gen.categories, base.phrases + gen.phrases)
    return lib


def accuracy(show_misses: bool) -> None:
    cases = load_cases()
    s = Suggester(builtin_library())
    print(f"evaluation set: {len(cases)} messages, built-in library ({s.phrase_count} phrases)")
    for name in ("tune", "holdout"):
        m = evaluate(s, split(cases, name))
        print("  " + m.line(name))
        if show_misses:
            for msg, accept, got in m.misses:
                print(f"      miss: {msg!r} want {list(accept)[:3]} got {list(got)}")
    m = evaluate(s, cases)
    print("  " + m.line("all"))
    bare = builtin_library()
    for p in bare.phrases:
        p.examples = []
    m = evaluate(Suggester(bare), cases)
    print("  " + m.line("no-ex") + "   (built-ins without example questions)")


def latency(sizes: list[int]) -> None:
    messages = [c.message for c in load_cases()]
    for n in sizes:
        lib = big_library(n)
        gc.collect()
        t0 = time.perf_counter()
        s = Suggester(lib)
        build = time.perf_counter() - t0
        del s
        gc.collect()
        tracemalloc.start()
        s = Suggester(lib)
        mem = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        for m in messages[:20]:  # warm up
            s.suggest(m)
        times = []
        cpu = []  # this thread's CPU time: what the query costs on a machine shared with others
        for _round in range(3):
            for m in messages:
                c = time.thread_time()
                t = time.perf_counter()
                s.suggest(m, 5)
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.thread_time() - c) * 1000)
        times.sort()
        cpu.sort()
        p50 = statistics.median(times)
        p99 = times[int(len(times) * 0.99) - 1]
        print(
            f"  {len(lib.phrases):>6} phrases, {s.unit_count:>6} units:"
            f" build {build * 1000:7.0f} ms,"
            f" index {mem / 1e6:6.1f} MB, suggest p50 {p50:5.2f} ms p99 {p99:5.2f} ms"
            f" max {times[-1]:5.2f} ms ({len(times)} queries);"
            f" CPU p50 {statistics.median(cpu):5.2f} ms p99 {cpu[int(len(cpu) * 0.99) - 1]:5.2f} ms"
        )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args()
    accuracy(args.misses)
    print("latency (built-ins + generated phrases with example questions):")
    latency([int(x) for x in args.sizes.split(",")])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
