"""查重 (issue 18): precision and recall of the duplicate finder's rule on the labelled set
of pairs (tests/cases/intake/labelled_pairs.py) for a range of text thresholds, with the
configured one marked. No database: the rule on two sketches, as intake applies it.

Run:  PYTHONPATH=src:. .venv/bin/python bench/duplicates.py
"""

from __future__ import annotations

import platform
import sys
from collections import Counter

from tests.cases.intake.labelled_pairs import PAIRS, measure

from grassroots.config import get_settings


def main() -> None:
    configured = get_settings().duplicate_text_threshold
    labels = Counter(p.label for p in PAIRS)
    print(f"python {sys.version.split()[0]} on {platform.machine()} {platform.system()}")
    print(f"labelled pairs: {len(PAIRS)} {dict(labels)}")
    print("threshold  precision  recall  repeats shown")
    for t in sorted({0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.25, 0.3, 0.4, configured}):
        s = measure(t)
        mark = "  ← configured" if t == configured else ""
        print(f"{t:9.2f}  {s.precision:9.3f}  {s.recall:6.3f}  {s.repeats_shown:13.2f}{mark}")
    s = measure(configured)
    for p in s.misses:
        print(f"missed ({p.why}): {p.new.text} | {p.registered.text}")
    for p in s.false_alarms:
        print(f"false alarm ({p.why}): {p.new.text} | {p.registered.text}")


if __name__ == "__main__":
    main()
