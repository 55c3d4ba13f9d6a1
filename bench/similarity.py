"""Similarity benchmark: microseconds per `compare` call, and what blocking saves.

Not a test: it prints figures. Run it with the project's venv:

    .venv/bin/python bench/similarity.py                  # 100,000 synthetic marks
    .venv/bin/python bench/similarity.py --marks 1000000

1. `compare` timing on random Latin marks (3-15 letters) and on Chinese marks vs Latin
   marks: "cold" with the normalize/romanize/phonetic caches cleared first, "warm" on a
   second pass with every mark cached (20,000 pairs, so all 40,000 marks fit the caches).
2. Blocking: index N synthetic marks by `blocking_keys`, then, for 1,000 query marks that
   are one edit from an indexed mark, report keys per mark, candidates per query (the
   pairs `compare` must score instead of N), and how many planted look-alikes were found.
"""

from __future__ import annotations

import argparse
import random
import string
import time
from collections import defaultdict

from kg.analysis.similarity import (
    DEFAULT_MIN_SIMILARITY,
    blocking_keys,
    compare,
    normalize,
    phonetic_keys,
    romanize,
)

HANZI = "特斯拉华为小米亚马逊阿里巴巴百度腾讯京东美团拼多多字节跳动网易新浪搜狐联想海尔格力"


def _latin(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_uppercase, k=rng.randint(3, 15)))


def _clear_caches() -> None:
    for cached in (normalize, romanize, phonetic_keys):
        cached.cache_clear()


def _time_per_call(pairs: list[tuple[str, str]]) -> float:
    start = time.perf_counter()
    for a, b in pairs:
        compare(a, b)
    return (time.perf_counter() - start) / len(pairs) * 1e6


def timing(rng: random.Random, n: int = 20_000) -> None:
    latin = [(_latin(rng), _latin(rng)) for _ in range(n)]
    chinese = [("".join(rng.choices(HANZI, k=rng.randint(2, 4))), _latin(rng)) for _ in range(n)]
    print("| pairs | cold µs/compare | warm µs/compare |")
    print("|---|---:|---:|")
    for name, pairs in (("Latin vs Latin", latin), ("Chinese vs Latin", chinese)):
        _clear_caches()
        cold = _time_per_call(pairs)
        warm = _time_per_call(pairs)
        print(f"| {name} | {cold:.1f} | {warm:.1f} |")


def _one_edit(rng: random.Random, text: str) -> str:
    i = rng.randrange(len(text))
    return text[:i] + rng.choice(string.ascii_uppercase) + text[i + 1 :]


def blocking(rng: random.Random, n_marks: int, n_queries: int = 1000) -> None:
    _clear_caches()
    marks = [_latin(rng) for _ in range(n_marks)]
    start = time.perf_counter()
    index: dict[str, list[int]] = defaultdict(list)
    n_keys = 0
    for i, mark in enumerate(marks):
        for key in blocking_keys(mark):
            index[key].append(i)
            n_keys += 1
    built = time.perf_counter() - start
    queries = [(i, _one_edit(rng, marks[i])) for i in rng.sample(range(n_marks), n_queries)]
    found = candidates = similar = 0
    start = time.perf_counter()
    for planted, query in queries:
        near = {i for key in blocking_keys(query) for i in index.get(key, ())}
        candidates += len(near)
        hits = {i for i in near if compare(query, marks[i]).score >= DEFAULT_MIN_SIMILARITY}
        similar += len(hits)
        found += planted in hits or compare(query, marks[planted]).score < DEFAULT_MIN_SIMILARITY
    searched = time.perf_counter() - start
    print(
        f"\nblocking over {n_marks:,} marks: {n_keys / n_marks:.1f} keys/mark, "
        f"{len(index):,} distinct keys, index built in {built:.1f} s\n"
        f"{n_queries} one-edit queries: {candidates / n_queries:.1f} candidates/query "
        f"(vs {n_marks:,}), {similar / n_queries:.2f} similar/query, "
        f"{searched / n_queries * 1e3:.2f} ms/query, "
        f"planted look-alikes found (when similar): {found}/{n_queries}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marks", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    timing(rng)
    blocking(rng, args.marks)


if __name__ == "__main__":
    main()
