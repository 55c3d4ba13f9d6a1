"""How far text alone goes on the decided pairs: a learned ceiling for issue 15's target.

Not a test: it prints figures. Issue 15 asks for recall >= 0.95 at precision >= 0.80 on
``bench/decisions/*.csv``. This script asks whether *any* combination of what the marks'
texts say could get there: it describes each pair by ~40 text features (the score and every
rule of `kg.analysis.similarity.compare`, spelling and sound distances of the whole marks
and of their best-matching distinctive words, lengths, shared words and how common the
rarest of them is in seven languages (`wordfreq`), shared beginnings and ends, one mark inside
the other) and fits three learners (logistic regression, a random forest, gradient boosting)
on them. Figures are *out of fold* (5-fold cross-validation, stratified, repeated with five
shuffles: each pair is scored by a model that never saw it), the recall reached at a
precision of at least 0.80; beside them the same learner scored on the pairs it was fitted
on (in-sample: an upper bound that remembers the pairs), and `compare`'s own score.

Needs scikit-learn, which tmkg does not depend on:

    .venv/bin/pip install scikit-learn
    .venv/bin/python bench/similarity_ceiling.py
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import jellyfish
from decisions_table import decisions
from rapidfuzz.distance import Indel, JaroWinkler
from wordfreq import zipf_frequency

from kg.analysis.elements import is_weak
from kg.analysis.scripts import words
from kg.analysis.similarity import REASONS, comparable_form, compare

LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt")
PRECISION_FLOOR = 0.80
FOLDS, REPEATS = 5, 5


def _commonness(word: str) -> float:
    """The word's Zipf frequency in the language where it is commonest (0: unknown)."""
    return max(zipf_frequency(word.lower(), language) for language in LANGUAGES)


def _shared_run(x: str, y: str) -> int:
    n = 0
    while n < min(len(x), len(y)) and x[n] == y[n]:
        n += 1
    return n


def features(earlier: str, later: str) -> list[float]:
    """The pair's text features (see the module docstring), a fixed-length list."""
    found = compare(earlier, later)
    roman_a, roman_b = comparable_form(earlier), comparable_form(later)
    core_a = [w for w in words(earlier) if not is_weak(w)]
    core_b = [w for w in words(later) if not is_weak(w)]
    shared = set(core_a) & set(core_b)
    shorter = max(1, min(len(roman_a), len(roman_b)))
    sound_a = jellyfish.metaphone(roman_a) if roman_a else ""
    sound_b = jellyfish.metaphone(roman_b) if roman_b else ""
    return [
        found.score,
        *(float(reason in found.reasons) for reason in REASONS),
        Indel.normalized_similarity(roman_a, roman_b),
        JaroWinkler.similarity(roman_a, roman_b),
        shorter / max(1, len(roman_a), len(roman_b)),
        len(roman_a),
        len(roman_b),
        len(core_a),
        len(core_b),
        len(shared),
        min((_commonness(w) for w in shared), default=8.0),
        max((JaroWinkler.similarity(x, y) for x in core_a for y in core_b), default=0.0),
        max((Indel.normalized_similarity(x, y) for x in core_a for y in core_b), default=0.0),
        float(bool(roman_a and roman_b) and (roman_a in roman_b or roman_b in roman_a)),
        float(bool(sound_a) and sound_a == sound_b),
        Indel.normalized_similarity(sound_a, sound_b),
        float(earlier.isascii() and later.isascii()),
        _shared_run(roman_a, roman_b) / shorter,
        _shared_run(roman_a[::-1], roman_b[::-1]) / shorter,
    ]


def best_recall(scores: list[float], similar: list[bool]) -> float:
    """The highest recall among thresholds whose precision is at least `PRECISION_FLOOR`."""
    ranked = sorted(zip(scores, similar, strict=True), key=lambda pair: -pair[0])
    total, best, hits = sum(similar), 0.0, 0
    for seen, (score, label) in enumerate(ranked, start=1):
        hits += label
        tied = seen < len(ranked) and ranked[seen][0] == score
        if not tied and hits / seen >= PRECISION_FLOOR:
            best = max(best, hits / total)
    return best


def main() -> int:
    try:
        from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
    except ImportError:
        print("needs scikit-learn (not a dependency of tmkg): .venv/bin/pip install scikit-learn")
        return 2
    rows = decisions()
    table = [features(d.earlier, d.later) for d in rows]
    labels = [d.similar for d in rows]
    print(f"decided pairs: {len(rows)} ({sum(labels)} found similar), {len(table[0])} features")
    print(f"recall at precision >= {PRECISION_FLOOR:.2f}\n")
    print("| scorer | out of fold: mean (min-max) | in-sample |")
    print("|---|---:|---:|")
    own = best_recall([row[0] for row in table], labels)
    print(f"| `compare` (hand-set rules, tuned on these pairs) | - | {own:.3f} |")
    learners: dict[str, Callable[[], object]] = {
        "logistic regression": lambda: make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=5000)
        ),
        "random forest": lambda: RandomForestClassifier(
            n_estimators=300, min_samples_leaf=2, random_state=0
        ),
        "gradient boosting": lambda: GradientBoostingClassifier(random_state=0),
    }
    for name, make in learners.items():
        recalls = []
        for repeat in range(REPEATS):
            scores = [0.0] * len(rows)
            folds = StratifiedKFold(FOLDS, shuffle=True, random_state=repeat)
            for train, test in folds.split(table, labels):
                model = make().fit(  # type: ignore[attr-defined]
                    [table[i] for i in train], [labels[i] for i in train]
                )
                held_out = model.predict_proba([table[i] for i in test])[:, 1]
                for i, p in zip(test, held_out, strict=True):
                    scores[i] = float(p)
            recalls.append(best_recall(scores, labels))
        model = make().fit(table, labels)  # type: ignore[attr-defined]
        fitted = best_recall([float(p) for p in model.predict_proba(table)[:, 1]], labels)
        mean = sum(recalls) / len(recalls)
        print(f"| {name} | {mean:.3f} ({min(recalls):.3f}-{max(recalls):.3f}) | {fitted:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
