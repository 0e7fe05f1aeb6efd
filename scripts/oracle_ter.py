#!/usr/bin/env python3
"""sacreBLEU 2.6.0 TER oracle for tqscore: writes fixtures/oracle/ter.json.

Runs sacreBLEU's own TER (Python API, plus its real command-line tool for a
cross-check) on the realmt data and the edge-case files, so that
tests/sacrebleu_parity.rs can check tqscore's TER without Python.  It lives
beside scripts/oracle.py (whose helpers for reading files like the CLI,
running the CLI and writing JSON it imports) and uses the same virtualenv:

    scripts/oracle.sh            # once, creates target/oracle-venv
    target/oracle-venv/bin/python scripts/oracle_ter.py \\
        --realmt ../shared/data/realmt --out fixtures/oracle [--jobs 2]

What it covers
--------------
1. realmt, default options: every `<set>.<pair>.sys.<System>.txt` (89
   systems, all 7 test sets incl. the paragraph-level wmt23.de-en and the
   zh-en sets) against [ref] and, where refB exists, [ref, refB]: 120 cases.
2. realmt, every combination of the four options (case_sensitive, no_punct,
   normalized, asian_support; 16, the default included) for the systems in
   OPTION_SYSTEMS (two per test set, one for the slow zh-en sets and
   wmt23.de-en) against [ref], and for OPTION_TWO_REFS also against
   [ref, refB].  Every case of 1. and 2. holds the corpus score and, per
   segment, sacreBLEU's statistics and its sentence-level score.
3. edge: every pair in fixtures/edge under all 16 option combinations, except
   long_line (a 10,000-word line, on which one sacreBLEU TER run takes about
   two minutes) under the default options only, with the exact lines the
   sacrebleu CLI prints at corpus and at sentence level (all of them produced
   by the CLI itself).

Case keys (ter.json "cases", sorted by hyp, number of refs, refs, options):
    hyp, refs           file names (realmt directory)
    options             {case_sensitive, no_punct, normalized, asian_support}
    score               TERScore.score (full float); printed: f"{score:.2f}"
    num_edits           TERScore.num_edits (int)
    ref_length          TERScore.ref_length (float: sum of per-segment
                        average reference lengths, in corpus order)
    signature           full sacreBLEU signature
    segment_edits       space-separated per-segment edits (best reference)
    segment_ref_lengths space-separated per-segment average reference
                        lengths as sacreBLEU computes them (repr of float)
    segment_printed     (default options only) space-separated per-segment
                        sentence-level scores, f"{score:.2f}" of
                        TER.sentence_score(hyp, refs); with other options
                        the statistics alone keep the fixture small
Edge keys ("edge"): case, hyp, ref, options, cli_line (corpus level),
sentence_cli_lines (list, one per line), all from
`sacrebleu REF -i HYP -m ter <flags> -w 2 -f text [--sentence-level]`.

How it scores
-------------
As the CLI does: lines read with sacreBLEU's smart_open and rstrip()
(oracle.read_lines_like_cli), `TER(**options, references=refs)` then
`corpus_score(hyps, None)`; per-segment statistics from the same object's
`_extract_corpus_statistics(hyps, None)`; sentence scores from a second
object's `sentence_score(hyp, [refs])`, as `--sentence-level` calls it.
Within one worker task, `sacrebleu.metrics.ter.translation_edit_rate`
(a pure function of two token lists) is memoized on the token tuples, so
that the statistics pass, the sentence pass, the [ref, refB] case and
option combinations that leave the tokens unchanged do not recompute the
same (hypothesis, reference) pair; the first computation of every pair is
sacreBLEU's own.

Cross-checks with the real `sacrebleu` executable (mismatch = exit 1, no
fixture written): the corpus line of the cases in CLI_CORPUS_CHECKS, the
sentence-level lines of CLI_SENTENCE_CHECKS, and every edge line.

Output is deterministic (sorted keys, no timings or paths), pure ASCII.

Run time (2-vCPU VM shared with builds, CPython 3.11.7, --jobs 2): see the
"Timing" paragraph at the end of this docstring.

Timing
------
Last full run (2-vCPU VM shared with builds and other jobs, --jobs 2, run in two
sessions through the cache): worker seconds per test set wmt21.ru-en 423,
wmt21.zh-en 9,598, wmt22.de-en 767, wmt22.ru-en 412, wmt22.zh-en 5,739,
wmt23.de-en 5,487, wmt23.ru-en 663 (23,089 worker-seconds, about 3.3 hours of
wall time on two workers); CLI cross-checks and edge cases 1,114 s.  sacreBLEU's
TER dominates: the zh-en sets and the paragraph-level wmt23.de-en hit the
1,000-candidate cap on many long segments.
"""

import argparse
import concurrent.futures
import itertools
import json
import multiprocessing
import os
import sys
import time

import sacrebleu
import sacrebleu.metrics.ter as ter_module
from sacrebleu.metrics import TER

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle import (  # noqa: E402  (shared helpers of the main oracle)
    FAILURES, discover_realmt, environment, fail, read_lines_like_cli, run_cli, write_json)

EXPECTED_VERSION = "2.6.0"
GENERATOR = "scripts/oracle_ter.py"
OPTION_NAMES = ("case_sensitive", "no_punct", "normalized", "asian_support")
CLI_FLAGS = {"case_sensitive": "--ter-case-sensitive", "no_punct": "--ter-no-punct",
             "normalized": "--ter-normalized", "asian_support": "--ter-asian-support"}
DEFAULT_OPTIONS = {name: False for name in OPTION_NAMES}
ALL_OPTIONS = [dict(zip(OPTION_NAMES, values))
               for values in itertools.product((False, True), repeat=len(OPTION_NAMES))]

# Systems scored under all 16 option combinations (against [ref]).
OPTION_SYSTEMS = [
    "wmt21.ru-en.sys.AFRL.txt", "wmt21.ru-en.sys.Online-B.txt",
    "wmt21.zh-en.sys.Online-W.txt",
    "wmt22.de-en.sys.Online-B.txt", "wmt22.de-en.sys.PROMT.txt",
    "wmt22.ru-en.sys.Online-B.txt", "wmt22.ru-en.sys.SRPOL.txt",
    "wmt22.zh-en.sys.Online-W.txt",
    "wmt23.de-en.sys.ONLINE-B.txt",
    "wmt23.ru-en.sys.ONLINE-B.txt", "wmt23.ru-en.sys.PROMT.txt",
]
# Of those, the ones also scored under all combinations against [ref, refB].
OPTION_TWO_REFS = ["wmt21.ru-en.sys.Online-B.txt", "wmt22.de-en.sys.Online-B.txt"]

ON = {name: True for name in OPTION_NAMES}
# (hyp, number of refs, options): corpus lines compared with the real CLI.
CLI_CORPUS_CHECKS = [
    ("wmt21.ru-en.sys.Online-B.txt", 2, DEFAULT_OPTIONS),
    ("wmt21.ru-en.sys.Online-B.txt", 2, ON),
    ("wmt23.ru-en.sys.ONLINE-B.txt", 1, {**DEFAULT_OPTIONS, "case_sensitive": True, "normalized": True}),
    ("wmt22.de-en.sys.Online-B.txt", 1, {**DEFAULT_OPTIONS, "no_punct": True, "asian_support": True}),
    ("wmt23.de-en.sys.ONLINE-B.txt", 1, DEFAULT_OPTIONS),
    ("wmt21.zh-en.sys.Online-W.txt", 1, DEFAULT_OPTIONS),
    ("wmt22.zh-en.sys.Online-W.txt", 2, DEFAULT_OPTIONS),
]
# (hyp, number of refs, options): every --sentence-level line compared with the real CLI.
CLI_SENTENCE_CHECKS = [
    ("wmt21.ru-en.sys.Online-B.txt", 2, DEFAULT_OPTIONS),
    ("wmt23.ru-en.sys.ONLINE-B.txt", 1, DEFAULT_OPTIONS),
]
# Edge cases scored with the default options only: long_line's 10,000-word line
# takes sacreBLEU's TER about two minutes per run.
EDGE_DEFAULT_ONLY = {"long_line"}

FORMAT = ("cases: one per (hyp, refs, options); edge: CLI lines per (edge case, options). "
          "Per-segment lists are space-separated strings. See the docstring of "
          "scripts/oracle_ter.py for every key.")


def memoize_translation_edit_rate():
    """Memoize sacreBLEU's (pure) translation_edit_rate on token tuples; returns the memo."""
    original = ter_module.translation_edit_rate
    memo = {}

    def memoized(words_hyp, words_ref):
        key = (tuple(words_hyp), tuple(words_ref))
        if key not in memo:
            memo[key] = original(words_hyp, words_ref)
        return memo[key]

    ter_module.translation_edit_rate = memoized
    return memo


MEMO = memoize_translation_edit_rate()


def cli_args(options):
    """sacrebleu CLI arguments for TER with these options."""
    return ["-m", "ter", *[CLI_FLAGS[name] for name in OPTION_NAMES if options[name]]]


def options_key(options):
    return tuple(options[name] for name in OPTION_NAMES)


def score_case(hyp_name, ref_names, hyps, refs, options):
    """One fixture case: corpus score, per-segment statistics and sentence scores."""
    metric = TER(**options, references=refs)
    score = metric.corpus_score(hyps, None)
    signature = metric.get_signature().format()
    stats = metric._extract_corpus_statistics(hyps, None)
    case = {
        "hyp": hyp_name, "refs": list(ref_names), "options": dict(options),
        "score": score.score, "printed": f"{score.score:.2f}",
        "num_edits": score.num_edits, "ref_length": score.ref_length, "signature": signature,
        "segment_edits": " ".join(str(s[0]) for s in stats),
        "segment_ref_lengths": " ".join(repr(float(s[1])) for s in stats),
    }
    if options == DEFAULT_OPTIONS:
        sentence_metric = TER(**options)
        case["segment_printed"] = " ".join(
            f"{sentence_metric.sentence_score(h, [r[i] for r in refs]).score:.2f}" for i, h in enumerate(hyps))
    return case


def system_task(task):
    """Worker: every case of one system file (reference sets x option combinations)."""
    realmt, hyp_name, ref_sets = task
    start = time.time()
    MEMO.clear()
    hyps = read_lines_like_cli(os.path.join(realmt, hyp_name))
    cases = []
    for ref_names, option_list in ref_sets:
        refs = [read_lines_like_cli(os.path.join(realmt, r)) for r in ref_names]
        if any(len(r) != len(hyps) for r in refs):
            raise SystemExit(f"line count mismatch: {hyp_name} vs {ref_names}")
        for options in option_list:
            cases.append(score_case(hyp_name, ref_names, hyps, refs, options))
    MEMO.clear()
    return hyp_name, cases, time.time() - start


def realmt_tasks(realmt):
    """One task per system file; the slowest (zh-en, wmt23.de-en) first."""
    tasks = []
    for set_pair, entry in sorted(discover_realmt(realmt).items()):
        for hyp in entry["systems"]:
            one = [entry["ref"]]
            two = [entry["ref"], entry["refB"]] if entry["refB"] else None
            combos = ALL_OPTIONS if hyp in OPTION_SYSTEMS else [DEFAULT_OPTIONS]
            ref_sets = [(one, combos)]
            if two:
                ref_sets.append((two, ALL_OPTIONS if hyp in OPTION_TWO_REFS else [DEFAULT_OPTIONS]))
            tasks.append((realmt, hyp, ref_sets))
    slow = ("zh-en", "wmt23.de-en")
    tasks.sort(key=lambda t: (not any(s in t[1] for s in slow), t[1] not in OPTION_SYSTEMS, t[1]))
    return tasks


def case_sort_key(case):
    return (case["hyp"], len(case["refs"]), case["refs"], options_key(case["options"]))


def find_case(cases, hyp, nrefs, options):
    for case in cases:
        if case["hyp"] == hyp and len(case["refs"]) == nrefs and case["options"] == options:
            return case
    raise SystemExit(f"no case for the cross-check {hyp} {nrefs} {options}")


def crosscheck_corpus(realmt, case):
    lines = run_cli([os.path.join(realmt, r) for r in case["refs"]],
                    os.path.join(realmt, case["hyp"]), cli_args(case["options"]))
    expected = [f"TER|{case['signature']} = {case['printed']}"]
    if lines != expected:
        fail(f"corpus {case['hyp']} {case['refs']} {case['options']}: CLI {lines!r}, oracle {expected!r}")


def crosscheck_sentences(realmt, case):
    lines = run_cli([os.path.join(realmt, r) for r in case["refs"]],
                    os.path.join(realmt, case["hyp"]), [*cli_args(case["options"]), "--sentence-level"])
    sentence_signature = case["signature"]
    expected = [f"TER|{sentence_signature} = {p}" for p in case["segment_printed"].split(" ")]
    if lines != expected:
        bad = [i + 1 for i, (a, b) in enumerate(zip(lines, expected)) if a != b]
        fail(f"sentence level {case['hyp']} {case['refs']} {case['options']}: "
             f"{len(lines)} CLI lines vs {len(expected)}, differing lines {bad[:10]}")


def edge_task(task):
    """Worker (thread): the CLI lines of one edge pair under one option combination."""
    edge_dir, name, options = task
    hyp, ref = f"{name}.hyp.txt", f"{name}.ref.txt"
    paths = [os.path.join(edge_dir, ref)], os.path.join(edge_dir, hyp)
    corpus = run_cli(*paths, cli_args(options))
    sentences = run_cli(*paths, [*cli_args(options), "--sentence-level"])
    # The API must agree with the CLI on the corpus line.
    refs = [read_lines_like_cli(paths[0][0])]
    metric = TER(**options, references=refs)
    score = metric.corpus_score(read_lines_like_cli(paths[1]), None)
    api_line = f"TER|{metric.get_signature().format()} = {score.score:.2f}"
    if corpus != [api_line]:
        fail(f"edge {name} {options}: CLI {corpus!r}, API {api_line!r}")
    return {"case": name, "hyp": hyp, "ref": ref, "options": dict(options),
            "cli_line": corpus[0] if corpus else None, "sentence_cli_lines": sentences}


def edge_jobs(edge_dir):
    """(edge_dir, case, options) for every edge case and its option combinations, slowest first."""
    names = sorted(f[: -len(".hyp.txt")] for f in os.listdir(edge_dir) if f.endswith(".hyp.txt"))
    names.sort(key=lambda n: n not in EDGE_DEFAULT_ONLY)
    return [(edge_dir, name, options) for name in names
            for options in ([DEFAULT_OPTIONS] if name in EDGE_DEFAULT_ONLY else ALL_OPTIONS)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--realmt", required=True, help="directory with the realmt data")
    ap.add_argument("--out", required=True, help="output directory (ter.json is written there)")
    ap.add_argument("--edge-dir", default="fixtures/edge", help="edge-case input files")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache", default="target/oracle-ter-cache",
                    help="finished system tasks are kept here, so an interrupted run resumes")
    args = ap.parse_args()
    if sacrebleu.__version__ != EXPECTED_VERSION:
        sys.exit(f"need sacrebleu {EXPECTED_VERSION}, found {sacrebleu.__version__}")
    os.makedirs(args.cache, exist_ok=True)
    started = time.time()

    def cache_path(hyp):
        return os.path.join(args.cache, hyp + ".json")

    tasks = realmt_tasks(args.realmt)
    todo = [t for t in tasks if not os.path.exists(cache_path(t[1]))]
    print(f"realmt: {len(tasks)} system files, {len(todo)} to score", flush=True)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(max(1, args.jobs)) as pool:
        for hyp, cases, seconds in pool.imap_unordered(system_task, todo):
            with open(cache_path(hyp), "w", encoding="ascii") as fh:
                json.dump({"cases": cases, "seconds": seconds}, fh)
            print(f"  {hyp}: {len(cases)} cases in {seconds:.0f} s", flush=True)
    cases, task_seconds = [], {}
    for task in tasks:
        with open(cache_path(task[1]), encoding="ascii") as fh:
            entry = json.load(fh)
        cases.extend(entry["cases"])
        task_seconds[task[1]] = entry["seconds"]
    cases.sort(key=case_sort_key)
    realmt_done = time.time()

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        checks = [ex.submit(crosscheck_corpus, args.realmt, find_case(cases, *c)) for c in CLI_CORPUS_CHECKS]
        checks += [ex.submit(crosscheck_sentences, args.realmt, find_case(cases, *c)) for c in CLI_SENTENCE_CHECKS]
        edge = list(ex.map(edge_task, edge_jobs(args.edge_dir)))
        for check in checks:
            check.result()
    finished = time.time()

    by_set = {}
    for hyp, seconds in task_seconds.items():
        by_set[hyp.split(".sys.")[0]] = by_set.get(hyp.split(".sys.")[0], 0) + seconds
    print("worker seconds per test set (cached tasks report their original time): "
          + ", ".join(f"{k} {v:.0f}" for k, v in sorted(by_set.items())), flush=True)
    print(f"this run: realmt {realmt_done - started:.0f} s, CLI cross-checks and edge "
          f"{finished - realmt_done:.0f} s", flush=True)

    if FAILURES:
        print(f"\n*** {len(FAILURES)} MISMATCH(ES); ter.json NOT written ***", file=sys.stderr)
        sys.exit(1)
    header = {"sacrebleu_version": sacrebleu.__version__, "generator": GENERATOR,
              "environment": environment(), "format": FORMAT}
    edge.sort(key=lambda e: (e["case"], options_key(e["options"])))
    write_json(os.path.join(args.out, "ter.json"), {**header, "cases": cases, "edge": edge})
    print(f"wrote {args.out}/ter.json: {len(cases)} realmt cases, {len(edge)} edge cases")


if __name__ == "__main__":
    main()
