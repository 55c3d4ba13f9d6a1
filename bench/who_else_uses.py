"""who_else_uses latency on an existing store, as `bench/scale.py` measures it (issue 19).

Opens the store (read as it is; the mark index beside it is brought up to date first), asks
`Analyst.who_else_uses` about `--queries` random mark texts of the store (seed `--seed`) twice,
and prints one JSON line: the cold start, p50 / p99 of each pass in ms, the hits, and a
digest of every answer, so two versions of tmkg can be shown to give the same answers.

With `--unseen`, each text asked has one letter changed (a mark someone means to file, which
the register does not hold): its similar marks are not read from the index's compared pairs
but found by its blocking keys and compared (`MarkIndex.candidates`).

    PYTHONPATH=. python bench/who_else_uses.py bench/out/sparql-endpoint-1000000-s11/store
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import time
from pathlib import Path


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def _unseen(text: str, held: set[str], chosen: random.Random) -> str:
    """`text` with one letter replaced by another of the same case, not a text of `held`."""
    places = [i for i, c in enumerate(text) if c.isascii() and c.isalpha()] or [len(text)]
    while True:
        i = chosen.choice(places)
        letter = chosen.choice("abcdefghijklmnopqrstuvwxyz")
        if i < len(text) and text[i].isupper():
            letter = letter.upper()
        changed = text[:i] + letter + text[i + 1 :]
        if changed not in held:
            return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path, help="an on-disk store folder")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--unseen", action="store_true", help="ask texts the store lacks")
    args = parser.parse_args()
    if not args.store.is_dir():  # opening a path that is none would make an empty store there
        parser.error(f"{args.store} is not a store folder (give the folder `kg load` wrote)")

    from kg import Analyst, KnowledgeGraph, Settings

    started = time.perf_counter()
    analyst = Analyst(KnowledgeGraph.open(Settings(store_path=args.store)))
    texts = sorted(set(analyst.facts.marks.values()))
    if len(texts) < args.queries:
        parser.error(f"{args.store} holds {len(texts)} mark texts, fewer than --queries")
    analyst.who_else_uses(texts[0])
    cold = time.perf_counter() - started
    chosen = random.Random(args.seed)
    asked = chosen.sample(texts, args.queries)
    if args.unseen:
        held = set(texts)
        asked = [_unseen(text, held, chosen) for text in asked]
    digest = hashlib.sha256()
    figures: dict[str, float] = {"cold_s": round(cold, 2)}
    hits = 0
    for name in ("first", "second"):  # the second pass: the caches of the first warm
        latencies = []
        for text in asked:
            began = time.perf_counter()
            answer = analyst.who_else_uses(text)
            latencies.append((time.perf_counter() - began) * 1000)
            if name == "first":
                hits += len(answer)
                digest.update(json.dumps([u.to_dict() for u in answer], default=str).encode())
        figures[f"{name}_p50_ms"] = round(statistics.median(latencies), 2)
        figures[f"{name}_p99_ms"] = round(_percentile(latencies, 0.99), 2)
    print(json.dumps({**figures, "hits": hits, "answers_sha256": digest.hexdigest()[:16]}))


if __name__ == "__main__":
    main()
