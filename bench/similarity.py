"""Similarity benchmark: decided pairs, microseconds per `compare` call, what blocking saves.

Not a test: it prints figures. Run it with the project's venv:

    .venv/bin/python bench/similarity.py                  # 100,000 synthetic marks
    .venv/bin/python bench/similarity.py --marks 1000000
    .venv/bin/python bench/similarity.py --parts decisions --misses

0. Decided pairs (`bench/decisions/*.csv`, see its README): recall on the pairs tribunals
   found similar and precision on the pairs `compare` calls similar, at the default threshold
   and as a curve, by kind and by table, beside the same figures for the rules of
   2026-11-30 (`kg.analysis.similarity` before the composite, phonetic, script and short-mark
   rules: only spelling distance, Metaphone/NYSIIS and pinyin), measured in the same run;
   and blocking recall: the share of pairs scoring >= 0.8 that a register-wide search
   (`kg.analysis.conflicts.candidate_text_pairs` over every mark of the tables) proposes.
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
    romanize,
)

HANZI = "特斯拉华为小米亚马逊阿里巴巴百度腾讯京东美团拼多多字节跳动网易新浪搜狐联想海尔格力"


def _latin(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_uppercase, k=rng.randint(3, 15)))


def _clear_caches() -> None:
    from kg.analysis import phonetics, scripts, similarity

    for cached in (
        normalize, romanize, scripts.words, phonetics.phonetic_codes, phonetics.vowels,
        phonetics.consonant_skeleton, similarity._compare_verbal,
    ):  # fmt: skip
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


def decided(show_misses: bool) -> None:
    from baseline_similarity import compare as baseline_compare
    from decisions_table import decisions, measure

    from kg.analysis.conflicts import candidate_text_pairs

    rows = decisions()
    scored = [(d, compare(d.earlier, d.later).score) for d in rows]
    before = [(d, baseline_compare(d.earlier, d.later)) for d in rows]
    similar = sum(d.similar for d in rows)
    print(
        f"decided pairs: {len(rows)} ({similar} found similar, {len(rows) - similar} not), "
        f"{len({d.decision for d in rows})} decisions, tables "
        + ", ".join(
            f"{t} {sum(d.table == t for d in rows)}" for t in sorted({d.table for d in rows})
        )
    )
    print("\n| threshold | recall | precision | recall (2026-11-30) | precision (2026-11-30) |")
    print("|---:|---:|---:|---:|---:|")
    for threshold in (0.6, 0.65, 0.7, 0.75, DEFAULT_MIN_SIMILARITY, 0.85, 0.9, 0.95):
        now, then = measure(scored, threshold), measure(before, threshold)
        mark = " (default)" if threshold == DEFAULT_MIN_SIMILARITY else ""
        print(
            f"| {threshold:.2f}{mark} | {now.recall:.3f} | {now.precision:.3f} "
            f"| {then.recall:.3f} | {then.precision:.3f} |"
        )
    for label, key in (("kind", lambda d: d.kind), ("script", lambda d: d.script)):
        print(f"\n| {label} | similar: found / all | not similar: flagged / all |")
        print("|---|---:|---:|")
        for value in sorted({key(d) for d in rows}):
            group = [(d, s) for d, s in scored if key(d) == value]
            yes = [s for d, s in group if d.similar]
            no = [s for d, s in group if not d.similar]
            found = sum(s >= DEFAULT_MIN_SIMILARITY for s in yes)
            flagged = sum(s >= DEFAULT_MIN_SIMILARITY for s in no)
            print(f"| {value} | {found} / {len(yes)} | {flagged} / {len(no)} |")
    texts = {t for d in rows for t in (d.earlier, d.later)}
    wanted = {
        tuple(sorted((d.earlier, d.later)))
        for d, s in scored
        if s >= DEFAULT_MIN_SIMILARITY and d.earlier != d.later
    }
    proposed = candidate_text_pairs(texts)
    kept = len(wanted & proposed)
    print(
        f"\nblocking: {kept} of {len(wanted)} pairs scoring >= {DEFAULT_MIN_SIMILARITY} proposed "
        f"by the register-wide search over the tables' {len(texts)} marks "
        f"(recall {kept / len(wanted) if wanted else 1.0:.3f}; {len(proposed)} candidate pairs "
        f"of {len(texts) * (len(texts) - 1) // 2})"
    )
    if show_misses:
        print("\nmissed (found similar, scored below the threshold):")
        for d, s in scored:
            if d.similar and s < DEFAULT_MIN_SIMILARITY:
                print(f"  {s:.2f}  {d.earlier} / {d.later}  [{d.kind}; {d.decision}]")
        print("\nflagged (found not similar, scored at or above the threshold):")
        for d, s in scored:
            if not d.similar and s >= DEFAULT_MIN_SIMILARITY:
                reasons = ", ".join(compare(d.earlier, d.later).reasons)
                print(f"  {s:.2f}  {d.earlier} / {d.later}  [{reasons}; {d.decision}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marks", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--parts", default="decisions,timing,blocking", help="comma-separated parts to run"
    )
    parser.add_argument("--misses", action="store_true", help="list the decided pairs missed")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    parts = set(args.parts.split(","))
    unknown = parts - {"decisions", "timing", "blocking"}
    if unknown:  # a misspelt part ran nothing and said nothing
        parser.error(f"unknown part(s) {', '.join(sorted(unknown))}: decisions, timing, blocking")
    if "decisions" in parts:
        decided(args.misses)
    if "timing" in parts:
        print()
        timing(rng)
    if "blocking" in parts:
        blocking(rng, args.marks)


if __name__ == "__main__":
    main()
