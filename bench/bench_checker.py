"""Benchmark the response checker: import time, analyze latency, memory.

    .venv/bin/python bench/bench_checker.py            # prints, and writes the "## Checker" section of docs/performance.md
    .venv/bin/python bench/bench_checker.py --no-write

Import time is measured in fresh subprocesses (median of several). Latency: analyze() over a few thousand
varied replies built from the hand-labelled set (recombined, re-cased, punctuation stripped, lengthened),
after one warm-up call on a typical reply (reported separately, median of 5 fresh processes: it loads the
lexicons and the anchor cache and compiles only the regexes that reply needs; the rest compile on first use, so
their cost is inside the latency figures). The same first call with no anchor cache (a lexicon edited and the
cache not yet rewritten) is reported too. Memory: RSS added by
importing autograder and analysing all replies, in a fresh subprocess.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
LABELLED = ROOT / "tests" / "data" / "labelled_replies.yaml"

_IMPORT = "import time; t = time.perf_counter(); import autograder; print(time.perf_counter() - t)"
_TYPICAL = ("It sounds like you're really scared about losing your home. What has been going through your mind "
            "since the notice came?")
_FIRST = ("import sys, time; import autograder; from autograder import detectors\n"
          "if sys.argv[1] == 'stale': detectors._read_anchor_cache = lambda key: None\n"
          "t = time.perf_counter(); autograder.analyze(%r, 'My landlord gave me notice.'); print(time.perf_counter() - t)"
          % _TYPICAL)
_MEMORY = r"""
import json, resource, sys
def rss_kb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
before = rss_kb()
import autograder
replies = json.loads(sys.stdin.read())
for r in replies:
    autograder.analyze(r, None)
print(json.dumps({"before_kb": before, "after_kb": rss_kb()}))
"""


def replies(n: int = 3000, seed: int = 7) -> list[str]:
    import yaml

    texts = [i["text"] for i in yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["items"]]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = rng.sample(texts, rng.choice((1, 1, 2, 3, 5)))
        reply = " ".join(parts)
        style = rng.random()
        if style < 0.2:
            reply = re.sub(r"[^\w\s']", "", reply).lower()
        elif style < 0.3:
            reply = reply.upper()
        elif style < 0.35:
            reply = (reply + " ") * 10  # a long answer
        out.append(reply)
    return out


def measure(n: int) -> dict:
    py = sys.executable
    imports = [float(subprocess.run([py, "-c", _IMPORT], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
               for _ in range(7)]
    firsts = {kind: statistics.median(
        float(subprocess.run([py, "-c", _FIRST, kind], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
        for _ in range(5)) for kind in ("cached", "stale")}
    sys.path.insert(0, str(ROOT))
    import autograder

    autograder.analyze(_TYPICAL, None)  # warm-up
    sample = replies(n)
    times = []
    for r in sample:
        t0 = time.perf_counter()
        autograder.analyze(r, None)
        times.append(time.perf_counter() - t0)
    times.sort()
    mem = json.loads(subprocess.run([py, "-c", _MEMORY], cwd=ROOT, input=json.dumps(sample), capture_output=True,
                                    text=True, check=True).stdout)
    return {"import_s": statistics.median(imports), "first_call_s": firsts["cached"],
            "first_call_stale_s": firsts["stale"], "n": len(times),
            "mean_chars": sum(map(len, sample)) / len(sample),
            "p50_ms": times[len(times) // 2] * 1e3, "p99_ms": times[int(len(times) * 0.99)] * 1e3,
            "max_ms": times[-1] * 1e3, "rss_added_mb": (mem["after_kb"] - mem["before_kb"]) / 1024}


def section(m: dict) -> str:
    return "\n".join([
        "## Checker", "",
        "Measured by `bench/bench_checker.py` (rerun: `.venv/bin/python bench/bench_checker.py`).", "",
        "| measure | value | budget |", "|---|---:|---:|",
        f"| `import autograder` (fresh process, median of 7) | {m['import_s'] * 1e3:.0f} ms | ≤ 300 ms |",
        f"| first `analyze` of a typical reply (loads lexicons + anchor cache, compiles what it needs; fresh process, "
        f"median of 5) | {m['first_call_s'] * 1e3:.0f} ms | ≤ 120 ms |",
        f"| the same with a stale anchor cache (after a lexicon edit, before `python -m autograder.detectors`) "
        f"| {m['first_call_stale_s'] * 1e3:.0f} ms | |",
        f"| `analyze` p50 over {m['n']} varied replies (mean {m['mean_chars']:.0f} chars) | {m['p50_ms']:.2f} ms | ≤ 1 ms |",
        f"| `analyze` p99 | {m['p99_ms']:.2f} ms | ≤ 5 ms |",
        f"| `analyze` max | {m['max_ms']:.2f} ms | |",
        f"| RSS added by import + analysing all replies | {m['rss_added_mb']:.1f} MB | ≤ 40 MB |", "",
        "Replies longer than 20,000 characters are analysed on their first 20,000 (`autograder.text.MAX_CHARS`).",
        ""])


def write_section(text: str) -> None:
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n\n"
    pattern = re.compile(r"^## Checker\n.*?(?=^## |\Z)", re.S | re.M)
    new = pattern.sub(lambda _: text, old) if pattern.search(old) else old.rstrip("\n") + "\n\n" + text
    DOC.write_text(new, encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("-n", type=int, default=3000, help="replies to time")
    args = ap.parse_args(argv)
    text = section(measure(args.n))
    print(text)
    if not args.no_write:
        write_section(text)
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
