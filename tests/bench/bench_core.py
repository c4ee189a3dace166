"""Benchmarks of the core: library load, pinyin priming, index build, search, render.

Run: ``.venv/bin/python tests/bench/bench_core.py [--sizes 1000,10000,100000]``.
Prints tables; it is a script, not a test (pytest collects only test_*.py).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen_library

from app.core import pinyin as pinyin_mod
from app.core.model import Library
from app.core.pinyin import PinyinCache
from app.core.search import SearchIndex

QUERIES: dict[str, tuple[str, ...]] = {
    "code": ("cf12", "hy3", "wl100", "sh7"),
    "code-prefix": ("cf", "yj1", "w"),
    "initials": ("hy", "wlcx", "tk", "hpyq", "cfs", "cxfh"),
    "pinyin": ("cuifu", "huanying", "wuliuchaxun", "tui kuan", "chongxinfahuo", "cuif"),
    "chinese": ("催付", "物流", "退款", "连衣裙", "还没付款", "您好"),
    "typo": ("cuifo", "物留", "huanyign", "tiukuan", "退宽"),
    "no-hit": ("zzqxj", "火星人", "qqqqqq"),
    "empty": ("",),
}


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def fake_usage(lib: Library, seed: int = 1) -> Callable[[str], tuple[int, float]]:
    """About 2% of phrases used, a few of them a lot."""
    rnd = random.Random(seed)
    used = rnd.sample([p.id for p in lib.phrases], max(1, len(lib.phrases) // 50))
    table = {pid: (int(rnd.paretovariate(1.2)), 1.7e9 + rnd.random() * 1e7) for pid in used}
    return lambda pid: table.get(pid, (0, 0.0))


def bench_size(n: int, tmp: Path, rounds: int) -> dict[str, object]:
    """All figures for one library size."""
    row: dict[str, object] = {"n": n, "rounds": rounds}
    lib = gen_library.generate(n)
    home = tmp / f"home-{n}"
    # library load from files (app.core.storage)
    if gen_library.write(lib, home):
        from app.core.fsutil import Paths
        from app.core.storage import LibraryStore

        # cold: no parse cache (a save now fills it, so it is removed first)
        Paths(home).parse_cache.unlink(missing_ok=True)
        gc.collect()
        dt, result = timed(lambda: LibraryStore(Paths(home)).load())
        loaded = result.library  # type: ignore[attr-defined]
        assert len(loaded.phrases) == n, (len(loaded.phrases), n)
        row["load_s"] = dt
        # second load: unchanged files come from the parse cache (library-cache.bin)
        gc.collect()
        row["load_warm_s"], _ = timed(lambda: LibraryStore(Paths(home)).load())
    # pinyin priming, cold (no cache; per-character memo cleared) and warm (cache file)
    cache_path = tmp / f"pinyin-{n}.json"
    pinyin_mod._HETERONYMS.clear()
    texts = [p.title for p in lib.phrases] + [c.name for c in lib.categories]
    cold = PinyinCache(cache_path)
    gc.collect()
    row["prime_cold_s"], _ = timed(lambda: cold.prime(texts))
    row["save_s"], _ = timed(cold.save)
    row["cache_kb"] = cache_path.stat().st_size / 1024

    def warm_load() -> PinyinCache:
        c = PinyinCache(cache_path)
        assert c.prime(texts) == 0
        return c

    gc.collect()
    row["prime_warm_s"], warm = timed(warm_load)
    # index build from the primed cache (lazy parts included: first search)
    usage = fake_usage(lib)

    def build() -> SearchIndex:
        idx = SearchIndex(lib, warm, usage=usage)  # type: ignore[arg-type]
        idx.search("")
        return idx

    gc.collect()
    row["build_s"], index = timed(build)
    assert isinstance(index, SearchIndex)
    # memory retained by the index and by the loaded cache (tracemalloc, separate runs)
    gc.collect()
    tracemalloc.start()
    extra = build()
    gc.collect()
    row["index_mb"] = tracemalloc.get_traced_memory()[0] / 2**20
    del extra
    tracemalloc.stop()
    tracemalloc.start()
    extra_cache = PinyinCache(cache_path)
    row["cache_mb"] = tracemalloc.get_traced_memory()[0] / 2**20
    del extra_cache
    tracemalloc.stop()
    # search latency over the query mix: default GC, then with the heap frozen
    for mode in ("gc", "frozen"):
        gc.collect()
        if mode == "frozen":
            gc.freeze()
        per_kind: dict[str, list[float]] = {k: [] for k in QUERIES}
        per_query: dict[str, list[float]] = {}
        all_times: list[float] = []
        for _ in range(rounds):
            for kind, qs in QUERIES.items():
                for q in qs:
                    t = time.perf_counter()
                    index.search(q)
                    dt = time.perf_counter() - t
                    per_kind[kind].append(dt)
                    per_query.setdefault(q, []).append(dt)
                    all_times.append(dt)
        if mode == "frozen":
            gc.unfreeze()
        row[f"{mode}_p50_ms"] = statistics.median(all_times) * 1000
        row[f"{mode}_p99_ms"] = pct(all_times, 99) * 1000
        row[f"{mode}_max_ms"] = max(all_times) * 1000
        medians = {q: statistics.median(v) for q, v in per_query.items()}
        worst = max(medians, key=medians.__getitem__)
        row[f"{mode}_worst"] = (worst, medians[worst] * 1000)
        row[f"{mode}_kinds"] = {
            k: (statistics.median(v) * 1000, pct(v, 99) * 1000) for k, v in per_kind.items()
        }
    # one edit then a search (re-join of the keys)
    p = lib.phrases[n // 2].copy(title="修改后的催付标题")
    t = time.perf_counter()
    index.update(p)
    index.search("cf")
    row["edit_search_ms"] = (time.perf_counter() - t) * 1000
    return row


def bench_render(lib: Library) -> tuple[float, float] | None:
    try:
        template = importlib.import_module("app.core.template")
    except ImportError:
        return None
    render = getattr(template, "render", None)
    context_cls = getattr(template, "Context", None)
    fields_needed = getattr(template, "fields_needed", None)
    if render is None or context_cls is None:
        return None
    ctx = context_cls(agent_no="007", agent_name="阿华", shop="华数旗舰店", clipboard=lambda: "")
    times: list[float] = []
    for p in lib.phrases[:2000]:
        values = {f.key: "测试" for f in fields_needed(p.body)} if fields_needed else {}
        t = time.perf_counter()
        render(p.body, ctx, values)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e6, pct(times, 99) * 1e6


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--rounds", type=int, default=0, help="query-mix rounds (default by size)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    t = time.perf_counter()
    importlib.import_module("pypinyin")
    print(f"import pypinyin: {(time.perf_counter() - t) * 1000:.0f} ms (excluded from priming)")
    t = time.perf_counter()
    importlib.import_module("rapidfuzz.process")
    print(f"import rapidfuzz: {(time.perf_counter() - t) * 1000:.0f} ms (lazy, fuzzy only)")
    n_queries = sum(len(v) for v in QUERIES.values())
    print(
        f"query mix: {n_queries} queries: " + ", ".join(f"{k} {len(v)}" for k, v in QUERIES.items())
    )

    rows = []
    with tempfile.TemporaryDirectory(prefix="huashu-bench-") as d:
        for n in sizes:
            rounds = args.rounds or max(5, 200_000 // n)
            rows.append(bench_size(n, Path(d), rounds))
            gc.collect()

    def f(v: object, fmt: str) -> str:
        return format(v, fmt) if isinstance(v, (int, float)) else "-"

    print()
    print(
        f"{'phrases':>8} {'load s':>7} {'warm s':>7} {'prime cold s':>12} {'prime warm s':>12} "
        f"{'save s':>6} {'cache KB':>9} {'cache MB':>8} {'build s':>8} {'index MB':>8} "
        f"{'edit+search ms':>14}"
    )
    for r in rows:
        print(
            f"{r['n']:>8} {f(r.get('load_s'), '7.3f')} {f(r.get('load_warm_s'), '7.3f')} "
            f"{f(r['prime_cold_s'], '12.3f')} "
            f"{f(r['prime_warm_s'], '12.3f')} {f(r['save_s'], '6.3f')} {f(r['cache_kb'], '9.0f')} "
            f"{f(r['cache_mb'], '8.1f')} {f(r['build_s'], '8.3f')} {f(r['index_mb'], '8.1f')} "
            f"{f(r['edit_search_ms'], '14.1f')}"
        )
    for mode, label in (("gc", "default GC"), ("frozen", "after gc.freeze()")):
        print()
        print(f"search latency ms, {label}, {rows[0]['rounds']}+ rounds of the query mix")
        print(f"{'kind':>12} " + " ".join(f"{r['n']:>16}" for r in rows))
        for kind in QUERIES:
            cells = []
            for r in rows:
                p50, p99 = r[f"{mode}_kinds"][kind]  # type: ignore[index]
                cells.append(f"{p50:7.2f} / {p99:6.2f}")
            print(f"{kind:>12} " + " ".join(f"{c:>16}" for c in cells))
        for stat in ("p50", "p99", "max"):
            cells = [f"{r[f'{mode}_{stat}_ms']:16.2f}" for r in rows]
            print(f"{'all ' + stat:>12} " + " ".join(cells))
        cells = []
        for r in rows:
            worst = r[f"{mode}_worst"]
            assert isinstance(worst, tuple)
            cells.append(f"{worst[0]!r} {worst[1]:.2f}")
        print(f"{'worst median':>12} " + " ".join(f"{c:>16}" for c in cells))
    rendered = bench_render(gen_library.generate(2000))
    print()
    if rendered is None:
        print("render: app.core.template.render not available")
    else:
        print(f"render (2000 bodies): p50 {rendered[0]:.1f} us, p99 {rendered[1]:.1f} us")
    return 0


if __name__ == "__main__":
    sys.exit(main())
