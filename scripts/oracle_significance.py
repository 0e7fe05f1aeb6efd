#!/usr/bin/env python3
"""sacreBLEU 2.6.0 / numpy oracle for tqscore's significance tests.

Runs sacreBLEU's statistical tests (Python API *and* the real command-line
tool) and numpy's random generator, and writes the results as JSON fixtures
for the Rust test-suite (tests/significance_parity.rs, tests/numpy_rng.rs):

    python scripts/oracle_significance.py --realmt ../shared/data/realmt \\
        --out fixtures/oracle [--jobs N]

Usually run through scripts/oracle.sh (pinned virtualenv). Output is
deterministic (fixed seeds, sorted keys, no paths or timestamps); floats are
written with repr(), the shortest text that reads back as the same double
(a numpy float32 is written as the double it converts to exactly).

Output files
------------
1. <out>/numpy_rng.json -- numpy's draws, compactly::

     {"numpy_version", "generator", "format",
      "seeds": [{"seed": decimal text, "entropy": [uint32 words],
                 "state": [4 uint64, SeedSequence.generate_state(4, uint64)],
                 "draws": {NAME: {"call", "n", "first": [8 values],
                                  "last", "fnv1a64": hex}}}]}

   Each NAME is one call on a fresh `np.random.default_rng(seed)` (or, for
   "bools_then_choice", two calls in a row). `fnv1a64` is the 64-bit FNV-1a
   hash of the values' bytes: each int as 8 little-endian bytes (two's
   complement), each bool as one byte 0/1.

2. <out>/significance.json -- sacreBLEU's tests on the real WMT data::

     {"sacrebleu_version", "numpy_version", "generator", "format",
      "environment", "cases": [CASE, ...]}

   CASE = {"id", "set", "refs" [file names], "systems" [file names, baseline
   first], "metrics" ["bleu", "chrf" | "chrf++"], "test" ("bs" | "ar" |
   "confidence" | "ar-ci" | "scores": several systems, no test), "n" (resamples or trials), "ar_confidence" (ar-ci
   only), "seed" (the SACREBLEU_SEED text, or null when unset), "width",
   "results": {system: {metric: {"score", "mean", "ci", "p_value"}}} (full
   precision; null where sacreBLEU has none), "signatures": {metric: full
   signature}, "cli_args" and "printed" (stdout of `sacrebleu` for "bs",
   "ar"; for "confidence" a dict system -> stdout; absent for "ar-ci", which
   the CLI cannot run)}.

   Values come from the Python API (PairedTest, corpus_score(n_bootstrap=)),
   run as the CLI runs them; every printed output was produced by the real
   `sacrebleu` executable (NO_COLOR=1, -f text, cwd = the realmt directory)
   and is checked to equal sacreBLEU's own formatting of the API values, so
   the fixture values are exactly the ones the CLI prints. Any mismatch makes
   the script exit 1 without writing.

   Cases: every realmt test set (all have >= 4 systems) with its first four
   systems (sorted by file name; the first is the baseline) and ref.txt, for
   `--paired-bs`, `--paired-ar` (BLEU and chrF) and `--confidence` (each of the
   four systems alone), with SACREBLEU_SEED unset (12345) and "7" and
   "1180591620717411303427" (2**70 + 3, three 32-bit words); plus
   chrF++ paired tests on wmt23.de-en, two references on wmt21.ru-en,
   `--confidence` with seeds "0" and " 007", the API-only approximate
   randomization with intervals (n_ar_confidence=1000), and the plain
   multi-system table (no test) of wmt21.ru-en.
"""

import argparse
import concurrent.futures
import contextlib
import io
import json
import os
import subprocess
import sys
from argparse import Namespace

import numpy as np
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.significance import PairedTest
from sacrebleu.utils import Color, print_results_table, print_single_results, smart_open

# The CLI runs with NO_COLOR=1; format the API values without colours too.
Color.ENABLE_COLORS = False

EXPECTED_VERSION = "2.6.0"
EXPECTED_NUMPY = "2.4.6"
GENERATOR = "scripts/oracle_significance.py"

SEEDS = [None, "7", str(2**70 + 3)]
SYSTEMS_PER_SET = 4
RNG_SEEDS = [0, 12345, 2**32 + 5, 2**130 + 7]
RNG_N = 10000

def fail(case, msg):
    """Record a mismatch in the case (workers run in other processes); main() exits 1."""
    case.setdefault("_failures", []).append(msg)
    print(f"MISMATCH: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# numpy's generator
# --------------------------------------------------------------------------

def fnv1a64(data: bytes) -> str:
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def draw_record(call, values):
    values = np.asarray(values)
    if values.dtype == np.bool_:
        data = values.astype(np.uint8).tobytes()
        listed = [bool(v) for v in values]
    else:
        data = values.astype("<i8").tobytes() if values.dtype.kind == "i" else values.astype("<u8").tobytes()
        listed = [int(v) for v in values]
    return {"call": call, "n": len(listed), "first": listed[:8], "last": listed[-1], "fnv1a64": fnv1a64(data)}


def build_numpy_rng():
    seeds = []
    for seed in RNG_SEEDS:
        seq = np.random.SeedSequence(seed)
        draws = {}

        def fresh():
            return np.random.default_rng(seed)

        draws["raw"] = draw_record("bit_generator.random_raw(n)", fresh().bit_generator.random_raw(RNG_N))
        draws["choice_2000"] = draw_record("choice(2000, size=n, replace=True)",
                                           fresh().choice(2000, size=RNG_N, replace=True))
        draws["integers_3x2e30"] = draw_record("integers(0, 3 * 2**30, size=n)",
                                               fresh().integers(0, 3 * 2**30, size=RNG_N))
        draws["integers_2e32"] = draw_record("integers(0, 2**32, size=n)", fresh().integers(0, 2**32, size=RNG_N))
        draws["integers_3x2e61"] = draw_record("integers(-2**62, 2**62 + 2**61, size=n)",
                                               fresh().integers(-2**62, 2**62 + 2**61, size=RNG_N))
        draws["bools"] = draw_record("integers(2, size=n, dtype=bool)",
                                     fresh().integers(2, size=RNG_N, dtype=bool))
        rng = fresh()
        rng.integers(2, size=(1, 20), dtype=bool)
        draws["bools_then_choice"] = draw_record(
            "integers(2, size=(1, 20), dtype=bool), then choice(2000, size=n)", rng.choice(2000, size=RNG_N))
        seeds.append({
            "seed": str(seed),
            "entropy": [int(w) for w in np.random.bit_generator._coerce_to_uint32_array(seed)],
            "state": [int(w) for w in seq.generate_state(4, np.uint64)],
            "draws": draws,
        })
    return {
        "numpy_version": np.__version__,
        "generator": GENERATOR,
        "format": ("seeds: per seed, the SeedSequence entropy words and generate_state(4, uint64), and per draw "
                   "(each on a fresh default_rng(seed)) the call, n, the first 8 values, the last value and the "
                   "FNV-1a 64 hash of the values (ints as 8 little-endian bytes, bools as 1 byte)."),
        "seeds": seeds,
    }


# --------------------------------------------------------------------------
# sacreBLEU's tests
# --------------------------------------------------------------------------

def read_lines_like_cli(path):
    with smart_open(path, encoding="utf-8") as fh:
        return [line.rstrip() for line in fh]


def make_metrics(names, refs):
    metrics = {}
    for name in names:
        if name == "bleu":
            metrics["BLEU"] = BLEU(references=refs)
        elif name == "chrf":
            metrics["CHRF"] = CHRF(references=refs)
        elif name == "chrf++":
            metrics["CHRF"] = CHRF(word_order=2, references=refs)
    return metrics


def cli_metric_args(names):
    if names == ["chrf++"]:
        return ["-m", "chrf", "--chrf-word-order", "2"]
    return ["-m", *names]


def set_seed_env(seed):
    if seed is None:
        os.environ.pop("SACREBLEU_SEED", None)
    else:
        os.environ["SACREBLEU_SEED"] = seed


def result_record(result):
    def num(x):
        return None if x is None else float(x)
    return {"score": float(result.score), "mean": num(result.mean), "ci": num(result.ci),
            "p_value": num(result.p_value)}


def run_cli(realmt, args, seed):
    env = dict(os.environ, NO_COLOR="1")
    env.pop("SACREBLEU_SEED", None)
    if seed is not None:
        env["SACREBLEU_SEED"] = seed
    exe = os.path.join(os.path.dirname(sys.executable), "sacrebleu")
    out = subprocess.run([exe, *args], cwd=realmt, env=env, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def captured(fn, *args):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn(*args)
    return buf.getvalue()


def paired_case(task):
    realmt, set_name, refs_names, systems, metric_names, test, seed, width, ar_confidence = task
    set_seed_env(seed)
    refs = [read_lines_like_cli(os.path.join(realmt, r)) for r in refs_names]
    hyps = [read_lines_like_cli(os.path.join(realmt, s)) for s in systems]
    metrics = make_metrics(metric_names, refs)
    named = [(f"Baseline: {systems[0]}", hyps[0])] + list(zip(systems[1:], hyps[1:]))
    test_type = "bs" if test == "bs" else "ar"
    n = 1000 if test_type == "bs" else 10000
    ps = PairedTest(named, metrics, references=None, test_type=test_type, n_samples=n,
                    n_ar_confidence=ar_confidence if ar_confidence else -1)
    sigs, scores = ps()
    sig_text = {k: v.format(False) for k, v in sigs.items()}
    results = {}
    for i, system in enumerate(systems):
        results[system] = {}
        for metric_name, key in zip(metric_names, [k for k in scores if k != "System"]):
            results[system][metric_name] = result_record(scores[key][i])
    case = {
        "id": f"{set_name}/{'ar-ci' if ar_confidence else test}/{'+'.join(metric_names)}/refs={len(refs_names)}"
              f"/seed={seed}",
        "set": set_name, "refs": refs_names, "systems": systems, "metrics": metric_names,
        "test": test if not ar_confidence else "ar-ci", "n": n, "seed": seed, "width": width,
        "results": results, "signatures": dict(zip(metric_names, sig_text.values())),
    }
    if ar_confidence:
        case["ar_confidence"] = ar_confidence
        return case
    flag = "--paired-bs" if test == "bs" else "--paired-ar"
    cli_args = [*refs_names, "-i", *systems, *cli_metric_args(metric_names), flag, "-f", "text", "-w", str(width)]
    printed = run_cli(realmt, cli_args, seed)
    args = Namespace(format="text", width=width, paired_bs=test == "bs", paired_ar=test == "ar",
                     paired_bs_n=n, paired_ar_n=n)
    expected = captured(print_results_table, scores, sig_text, args)
    if printed != expected:
        fail(case, f"{case['id']}: the CLI prints\n{printed}\nthe API values format as\n{expected}")
    case["cli_args"] = cli_args
    case["printed"] = printed
    return case


def confidence_case(task):
    realmt, set_name, refs_names, systems, metric_names, seed, width = task
    set_seed_env(seed)
    refs = [read_lines_like_cli(os.path.join(realmt, r)) for r in refs_names]
    results, printed, signatures, failures = {}, {}, {}, {}
    for system in systems:
        hyps = read_lines_like_cli(os.path.join(realmt, system))
        metrics = make_metrics(metric_names, refs)
        lines = []
        results[system] = {}
        for metric_name, (name, metric) in zip(metric_names, sorted(metrics.items())):
            score = metric.corpus_score(hyps, None, n_bootstrap=1000)
            sig = metric.get_signature().format(False)
            signatures[metric_name] = sig
            lines.append(score.format(width, False, sig))
            results[system][metric_name] = {"score": float(score.score), "mean": float(score._mean),
                                            "ci": float(score._ci), "p_value": None}
        cli_args = [*refs_names, "-i", system, *cli_metric_args(metric_names), "--confidence", "-f", "text",
                    "-w", str(width)]
        out = run_cli(realmt, cli_args, seed)
        expected = captured(print_single_results, lines, Namespace(format="text"))
        if out != expected:
            fail(failures, f"{set_name}/{system}/confidence/seed={seed}: the CLI prints\n{out}\n"
                 f"the API values format as\n{expected}")
        printed[system] = out
    return {**failures,
        "id": f"{set_name}/confidence/{'+'.join(metric_names)}/seed={seed}",
        "set": set_name, "refs": refs_names, "systems": systems, "metrics": metric_names, "test": "confidence",
        "n": 1000, "seed": seed, "width": width, "results": results, "signatures": signatures,
        "cli_args": [*refs_names, "-i", "SYSTEM", *cli_metric_args(metric_names), "--confidence", "-f", "text",
                     "-w", str(width)],
        "printed": printed,
    }


def scores_case(task):
    """Several systems without a test: sacreBLEU's plain table of scores."""
    realmt, set_name, refs_names, systems, metric_names, width = task
    refs = [read_lines_like_cli(os.path.join(realmt, r)) for r in refs_names]
    results = {}
    for system in systems:
        hyps = read_lines_like_cli(os.path.join(realmt, system))
        metrics = make_metrics(metric_names, refs)
        results[system] = {m: {"score": float(metrics[k].corpus_score(hyps, None).score), "mean": None, "ci": None,
                               "p_value": None}
                           for m, k in zip(metric_names, sorted(metrics))}
    cli_args = [*refs_names, "-i", *systems, *cli_metric_args(metric_names), "-f", "text", "-w", str(width)]
    return {
        "id": f"{set_name}/scores/{'+'.join(metric_names)}/refs={len(refs_names)}/seed=None",
        "set": set_name, "refs": refs_names, "systems": systems, "metrics": metric_names, "test": "scores",
        "n": 0, "seed": None, "width": width, "results": results, "cli_args": cli_args,
        "printed": run_cli(realmt, cli_args, None),
    }


def discover(realmt):
    sets = {}
    for name in sorted(os.listdir(realmt)):
        parts = name.split(".")
        if len(parts) >= 5 and parts[2] == "sys" and name.endswith(".txt"):
            sets.setdefault(f"{parts[0]}.{parts[1]}", []).append(name)
    return {k: v for k, v in sets.items() if len(v) >= SYSTEMS_PER_SET}


def tasks_for(realmt):
    paired, confidence = [], []
    for set_name, systems in discover(realmt).items():
        systems = systems[:SYSTEMS_PER_SET]
        ref = [f"{set_name}.ref.txt"]
        for seed in SEEDS:
            for test in ("bs", "ar"):
                paired.append((realmt, set_name, ref, systems, ["bleu", "chrf"], test, seed, 1, None))
            confidence.append((realmt, set_name, ref, systems, ["bleu", "chrf"], seed, 1))
    de = "wmt23.de-en"
    de_systems = discover(realmt)[de][:SYSTEMS_PER_SET]
    for test in ("bs", "ar"):
        paired.append((realmt, de, [f"{de}.ref.txt"], de_systems, ["chrf++"], test, None, 2, None))
    ru = "wmt21.ru-en"
    ru_systems = discover(realmt)[ru][:SYSTEMS_PER_SET]
    two_refs = [f"{ru}.ref.txt", f"{ru}.refB.txt"]
    paired.append((realmt, ru, two_refs, ru_systems, ["bleu", "chrf"], "bs", None, 2, None))
    for seed in ("0", " 007"):
        confidence.append((realmt, de, [f"{de}.ref.txt"], de_systems, ["bleu", "chrf"], seed, 2))
    for set_name in (de, ru):
        systems = discover(realmt)[set_name][:SYSTEMS_PER_SET]
        paired.append((realmt, set_name, [f"{set_name}.ref.txt"], systems, ["bleu", "chrf"], "ar", None, 1, 1000))
    scores = [(realmt, ru, [f"{ru}.ref.txt"], ru_systems, ["bleu", "chrf"], 2)]
    return paired, confidence, scores


def write_json(path, obj):
    text = json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=True, allow_nan=False)
    with open(path, "w", encoding="ascii", newline="\n") as fh:
        fh.write(text + "\n")


FORMAT_SIGNIFICANCE = (
    "cases: sacreBLEU's paired tests (test bs|ar|ar-ci), single-system --confidence and the multi-system table "
    "without a test (scores) on realmt files; "
    "results[system][metric] = {score, mean, ci, p_value} at full precision (null where sacreBLEU has none); "
    "printed = the CLI's stdout (per system for confidence); seed = SACREBLEU_SEED text or null when unset. "
    "See scripts/oracle_significance.py.")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--realmt", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    if sacrebleu.__version__ != EXPECTED_VERSION or np.__version__ != EXPECTED_NUMPY:
        sys.exit(f"need sacrebleu {EXPECTED_VERSION} and numpy {EXPECTED_NUMPY}, "
                 f"found {sacrebleu.__version__} and {np.__version__}")
    realmt = os.path.abspath(args.realmt)
    rng = build_numpy_rng()
    paired, confidence, scores = tasks_for(realmt)
    with concurrent.futures.ProcessPoolExecutor(args.jobs) as pool:
        cases = (list(pool.map(paired_case, paired)) + list(pool.map(confidence_case, confidence))
                 + list(pool.map(scores_case, scores)))
    failures = [f for c in cases for f in c.pop("_failures", [])]
    print(f"significance: {len(cases)} cases computed, {len(failures)} CLI mismatches", flush=True)
    if failures:
        sys.exit(1)
    cases.sort(key=lambda c: c["id"])
    write_json(os.path.join(args.out, "numpy_rng.json"), rng)
    write_json(os.path.join(args.out, "significance.json"), {
        "sacrebleu_version": sacrebleu.__version__,
        "numpy_version": np.__version__,
        "generator": GENERATOR,
        "format": FORMAT_SIGNIFICANCE,
        "environment": {"python": sys.version.split()[0]},
        "cases": cases,
    })
    print(f"wrote {args.out}/numpy_rng.json and {args.out}/significance.json ({len(cases)} cases)")


if __name__ == "__main__":
    main()
