#!/usr/bin/env python3
"""sacreBLEU 2.6.0 oracle for tqscore.

Runs the reference implementation (sacreBLEU 2.6.0, Python API *and* its real
command-line tool) and writes the results as JSON fixtures, so that the Rust
test-suite can check tqscore against sacreBLEU without needing Python.

Usually run through `scripts/oracle.sh`, which builds a pinned virtualenv
(`scripts/oracle-requirements.txt`) first.  Direct use, from the repo root:

    python scripts/oracle.py --realmt ../shared/data/realmt \
        --out fixtures/oracle --edge-dir fixtures/edge [--jobs N]

The output is deterministic: no timestamps, no absolute paths, sorted keys,
fixed random seeds.  Re-running it on the same inputs and the same pinned
environment reproduces the files byte for byte.  Floats are written by Python's
json module, i.e. with `repr(float)`, the shortest string that round-trips to
the same IEEE-754 double.  Files are pure ASCII (non-ASCII is \\u-escaped).

How lines are read
------------------
Exactly as the sacreBLEU CLI reads `REF...` and `-i HYP` files:
`open(path, encoding='utf-8', newline='\\n')` (sacrebleu.utils.smart_open),
iterate lines, `line.rstrip()` each.  Consequences: only '\\n' ends a line
(a lone '\\r', '\\x0b', '\\x0c', '\\x1c'-'\\x1e', U+0085, U+2028, U+2029 stay
inside the line); a UTF-8 BOM is *not* removed (it becomes U+FEFF at the start
of line 1); `rstrip()` removes every trailing character for which
`str.isspace()` is true (including '\\r', U+00A0, U+2009, U+3000, '\\x1c'-'\\x1f').

Scores are computed with the Python API exactly as the CLI does it: the
metric object is built with `references=[refstream, ...]` (reference n-grams
are cached) and `corpus_score(hyps, None)` / `sentence_score(hyp, refs)` is
called.  For a random sample the uncached `corpus_score(hyps, refs)` form is
recomputed and must agree bit for bit.  Every fixture value that the CLI
prints is cross-checked against the real `sacrebleu` executable; any mismatch
makes the script exit with status 1 without writing the JSON fixtures.

Output files
------------
1. <out>/realmt_corpus.json -- corpus-level scores on the real WMT data::

     {"sacrebleu_version": "2.6.0", "generator": "scripts/oracle.py",
      "format": "<description>", "environment": {...},
      "cases": [CASE, ...]}

   One CASE per (system file, reference set, metric configuration), for every
   `<set>.<pair>.sys.<System>.txt`; reference sets are [ref.txt] and, where
   `<set>.<pair>.refB.txt` exists, [ref.txt, refB.txt].  Configurations:
   BLEU with tokenize in 13a/intl/char/none x lowercase false/true (8), chrF
   (defaults) and chrF++ (word_order=2).  CASE keys:

     hyp        file name of the system output (no directory)
     refs       list of reference file names, in the order given to sacreBLEU
     metric     "bleu" | "chrf" | "chrf++"
     tokenize   (bleu only) "13a" | "intl" | "char" | "none"
     lowercase  bool (always false for chrf / chrf++)
     score      full-precision float (BLEUScore.score / CHRFScore.score)
     printed    f"{score:.2f}", what `sacrebleu ... -w 2 -b` prints
     signature  full (non-short) signature, e.g.
                "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"
     bleu only: counts [4 ints], totals [4 ints], sys_len, ref_len (ints),
                bp (float), precisions [4 floats], verbose (the text the CLI
                prints after the score, e.g.
                "56.2/31.8/19.5/12.4 (BP = 0.982 ratio = 0.982 hyp_len = ...
                ref_len = ...)")

   Cases are sorted by (hyp, refs, metric, tokenize, lowercase).

2. <out>/sentence_level.json -- per-line scores as `--sentence-level` gives
   them (BLEU with effective_order=True) for the first 200 lines of
   wmt21.ru-en.sys.Online-B.txt against wmt21.ru-en.ref.txt::

     {"sacrebleu_version", "generator", "format", "environment",
      "hyp": "wmt21.ru-en.sys.Online-B.txt", "refs": ["wmt21.ru-en.ref.txt"],
      "n_lines": 200,
      "bleu": {"exp"|"floor"|"add-k"|"none": METHOD},
      "chrf": METRIC, "chrf++": METRIC}

   METHOD = {"smooth_method", "smooth_value" (the effective value: 0.1 for
   floor, 1 for add-k, null otherwise), "tokenize": "13a",
   "effective_order": true, "signature", "cli_args" (the sacrebleu arguments
   used for the cross-check), "lines": [LINE, ...]}; a bleu LINE =
   {"line" (1-based), "score", "printed", "counts", "totals", "sys_len",
   "ref_len", "bp", "precisions", "verbose"}.  counts/totals are the raw
   n-gram statistics of the segment (identical for every method; note that
   for add-k sacreBLEU's own BLEUScore.counts/totals have k added for n >= 2).
   METRIC (chrF, chrF++) = {"signature", "cli_args", "lines": [{"line",
   "score", "printed"}]}.  Every line of every method was compared with the
   real CLI (`--sentence-level -w 2`, full text line incl. signature).

3. <out>/edge.json -- small hand-made edge cases, whose inputs are (re)written
   by this script to <edge-dir>/<case>.hyp.txt and <case>.ref.txt::

     {"sacrebleu_version", "generator", "format", "environment",
      "cases": [EDGE, ...]}

   EDGE = {"case", "description", "hyp", "ref" (file names in fixtures/edge),
   "n_lines", "first_hyp_line_repr", "first_ref_line_repr" (Python repr() of
   line 1 after CLI-style reading), "hyp_lines", "ref_lines" (all lines after
   CLI-style reading), "corpus": {"bleu": B, "chrf": C, "chrf++": C},
   "sentence_bleu": [SB, ...] (only for the cases that have it, else absent)}.
   B = {"score", "printed", "signature", "counts", "totals", "sys_len",
   "ref_len", "bp", "precisions", "verbose", "cli_line", "cli_args"} (BLEU,
   13a, mixed case, exp smoothing); C = {"score", "printed", "signature",
   "cli_line", "cli_args"}; cli_line is the exact line printed by
   `sacrebleu <case>.ref.txt -i <case>.hyp.txt <cli_args> -w 2 -f text`.
   SB = {"line", "score", "printed", "counts", "totals", "sys_len",
   "ref_len", "bp", "precisions", "verbose", "cli_line"} for
   `--sentence-level` BLEU (13a, exp, effective order).
"""

import argparse
import concurrent.futures
import json
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.utils import smart_open

EXPECTED_VERSION = "2.6.0"
GENERATOR = "scripts/oracle.py"

# Fixed seeds: which corpus cases are cross-checked with the CLI, and how the
# long_line edge case is generated.
CROSSCHECK_SEED = 20260
LONG_LINE_SEED = 1000
DEFAULT_N_CROSSCHECK = 40

BLEU_TOKENIZERS = ["13a", "intl", "char", "none"]
SMOOTH_METHODS = ["exp", "floor", "add-k", "none"]

SENTENCE_HYP = "wmt21.ru-en.sys.Online-B.txt"
SENTENCE_REF = "wmt21.ru-en.ref.txt"
SENTENCE_N = 200

FILE_RE = re.compile(r"^(?P<set>[^.]+\.[^.]+)\.sys\.(?P<system>.+)\.txt$")

# Collected cross-check failures; the script exits 1 if any.
FAILURES = []


def fail(msg):
    """Record (and immediately print) a mismatch between oracle and CLI."""
    FAILURES.append(msg)
    print(f"MISMATCH: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Reading input exactly as the sacreBLEU CLI does
# --------------------------------------------------------------------------

def read_lines_like_cli(path):
    """Lines of `path` as `sacrebleu REF -i HYP` sees them.

    sacrebleu.py does `for line in smart_open(f): lines.append(line.rstrip())`
    and smart_open is `open(f, mode='rt', encoding='utf-8', newline="\\n")`.
    We call the very same smart_open.
    """
    with smart_open(path, encoding="utf-8") as fh:
        return [line.rstrip() for line in fh]


# --------------------------------------------------------------------------
# Metric construction (mirrors what the CLI builds from its arguments)
# --------------------------------------------------------------------------

def metric_configs():
    """The 10 corpus-level configurations, in fixture order."""
    configs = []
    for tok in BLEU_TOKENIZERS:
        for lc in (False, True):
            configs.append({"metric": "bleu", "tokenize": tok, "lowercase": lc})
    configs.append({"metric": "chrf", "lowercase": False})
    configs.append({"metric": "chrf++", "lowercase": False})
    return configs


def make_metric(cfg, references=None, smooth_method="exp", effective_order=False):
    """Build the sacreBLEU metric object for a configuration dict."""
    if cfg["metric"] == "bleu":
        return BLEU(tokenize=cfg["tokenize"], lowercase=cfg["lowercase"],
                    smooth_method=smooth_method, effective_order=effective_order,
                    references=references)
    if cfg["metric"] == "chrf":
        return CHRF(references=references)
    if cfg["metric"] == "chrf++":
        return CHRF(word_order=2, references=references)
    raise ValueError(cfg)


def cli_metric_args(cfg, smooth_method=None):
    """sacrebleu CLI arguments selecting the same metric configuration."""
    if cfg["metric"] == "bleu":
        args = ["-m", "bleu", "-tok", cfg["tokenize"]]
        if cfg["lowercase"]:
            args.append("-lc")
        if smooth_method is not None:
            args += ["-s", smooth_method]
        return args
    if cfg["metric"] == "chrf":
        return ["-m", "chrf"]
    if cfg["metric"] == "chrf++":
        return ["-m", "chrf", "-cw", "2"]
    raise ValueError(cfg)


def score_record(score, signature, with_verbose=True):
    """JSON record for a BLEUScore / CHRFScore object."""
    rec = {
        "score": score.score,
        "printed": f"{score.score:.2f}",   # == Score.format(width=2, score_only=True)
        "signature": signature,
    }
    if hasattr(score, "counts"):          # BLEUScore
        rec.update({
            "counts": [int(c) for c in score.counts],
            "totals": [int(t) for t in score.totals],
            "sys_len": int(score.sys_len),
            "ref_len": int(score.ref_len),
            "bp": score.bp,
            "precisions": list(score.precisions),
        })
        if with_verbose:
            rec["verbose"] = score._verbose
    return rec


def text_line(score, signature):
    """The line `sacrebleu -w 2 -f text` prints for this score."""
    return score.format(width=2, score_only=False, signature=signature, is_json=False)


# --------------------------------------------------------------------------
# Running the real CLI
# --------------------------------------------------------------------------

def sacrebleu_cli():
    """Path of the `sacrebleu` console script of the running interpreter."""
    cand = os.path.join(os.path.dirname(sys.executable), "sacrebleu")
    if os.path.exists(cand):
        return cand
    found = shutil.which("sacrebleu")
    if not found:
        sys.exit("cannot find the sacrebleu executable")
    return found


def run_cli(ref_paths, hyp_path, extra_args):
    """Run the sacrebleu CLI in text mode with width 2; return stdout lines."""
    cmd = [sacrebleu_cli(), *ref_paths, "-i", hyp_path, *extra_args,
           "-w", "2", "-f", "text", "-q", "-nc"]
    env = dict(os.environ)
    env.pop("SACREBLEU_FORMAT", None)    # would override -f
    env["NO_COLOR"] = "1"
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if proc.returncode != 0:
        fail(f"CLI failed ({proc.returncode}): {' '.join(cmd)}\n"
             f"{proc.stderr.decode('utf-8', 'replace')}")
        return []
    out = proc.stdout.decode("utf-8")
    return out.split("\n")[:-1] if out.endswith("\n") else out.split("\n")


# --------------------------------------------------------------------------
# 1. Corpus-level scores on realmt
# --------------------------------------------------------------------------

def discover_realmt(realmt):
    """{set_pair: {"ref": name, "refB": name|None, "systems": [names]}}."""
    sets = {}
    for name in sorted(os.listdir(realmt)):
        m = FILE_RE.match(name)
        if not m:
            continue
        sp = m.group("set")
        entry = sets.setdefault(sp, {"systems": []})
        entry["systems"].append(name)
    for sp, entry in sets.items():
        ref = f"{sp}.ref.txt"
        if not os.path.exists(os.path.join(realmt, ref)):
            sys.exit(f"missing reference {ref}")
        entry["ref"] = ref
        refb = f"{sp}.refB.txt"
        entry["refB"] = refb if os.path.exists(os.path.join(realmt, refb)) else None
        entry["systems"].sort()
    return sets


def corpus_task(args):
    """Worker: score all systems of one set against one reference set under
    one configuration (one metric object with cached references, like the CLI)."""
    realmt, ref_names, sys_names, cfg = args
    refs = [read_lines_like_cli(os.path.join(realmt, r)) for r in ref_names]
    metric = make_metric(cfg, references=refs)
    out = []
    for sys_name in sys_names:
        hyps = read_lines_like_cli(os.path.join(realmt, sys_name))
        if any(len(hyps) != len(r) for r in refs):
            raise SystemExit(f"line count mismatch: {sys_name} vs {ref_names}")
        score = metric.corpus_score(hyps, None)
        sig = metric.get_signature().format()
        case = {"hyp": sys_name, "refs": list(ref_names), "metric": cfg["metric"],
                "lowercase": cfg["lowercase"]}
        if cfg["metric"] == "bleu":
            case["tokenize"] = cfg["tokenize"]
        case.update(score_record(score, sig))
        out.append(case)
    return out


def uncached_task(args):
    """Worker: recompute one case with the plain API call
    corpus_score(hyps, [refstream, ...]) (no reference cache)."""
    realmt, case = args
    cfg = {k: case[k] for k in ("metric", "tokenize", "lowercase") if k in case}
    refs = [read_lines_like_cli(os.path.join(realmt, r)) for r in case["refs"]]
    hyps = read_lines_like_cli(os.path.join(realmt, case["hyp"]))
    metric = make_metric(cfg)
    score = metric.corpus_score(hyps, refs)
    return score_record(score, metric.get_signature().format())


def case_sort_key(case):
    metric_rank = {"bleu": 0, "chrf": 1, "chrf++": 2}[case["metric"]]
    tok_rank = BLEU_TOKENIZERS.index(case["tokenize"]) if "tokenize" in case else -1
    return (case["hyp"], len(case["refs"]), case["refs"], metric_rank, tok_rank,
            case["lowercase"])


# System files with peculiarities (empty lines, trailing whitespace); one
# random configuration of each is always cross-checked with the CLI.
SPECIAL_HYPS = ["wmt21.zh-en.sys.Borderline.txt", "wmt21.zh-en.sys.Online-W.txt",
                "wmt21.zh-en.sys.ZengHuiMT.txt", "wmt22.zh-en.sys.Online-W.txt"]


def crosscheck_sample(cases, n):
    """Indices of the corpus cases to re-check (fixed seed, stratified):
    one random case per (metric config, number of refs) stratum, one per
    SPECIAL_HYPS file (with 2 refs where available, so that refB -- which has
    a TAB inside a line in wmt22.zh-en -- is read too), then uniformly random
    cases until n are chosen."""
    rng = random.Random(CROSSCHECK_SEED)
    strata = {}
    for i, c in enumerate(cases):
        key = (c["metric"], c.get("tokenize"), c["lowercase"], len(c["refs"]))
        strata.setdefault(key, []).append(i)
    chosen = {rng.choice(strata[k]) for k in sorted(strata, key=repr)}
    for hyp in SPECIAL_HYPS:
        idx = [i for i, c in enumerate(cases) if c["hyp"] == hyp]
        most_refs = max(len(cases[i]["refs"]) for i in idx)
        chosen.add(rng.choice([i for i in idx if len(cases[i]["refs"]) == most_refs]))
    rest = [i for i in range(len(cases)) if i not in chosen]
    chosen.update(rng.sample(rest, max(0, min(n - len(chosen), len(rest)))))
    return sorted(chosen)


def crosscheck_corpus_case(realmt, case):
    """Run the real CLI on one corpus case; compare the full text line."""
    cfg = {k: case[k] for k in ("metric", "tokenize", "lowercase") if k in case}
    lines = run_cli([os.path.join(realmt, r) for r in case["refs"]],
                    os.path.join(realmt, case["hyp"]), cli_metric_args(cfg))
    name = "BLEU" if case["metric"] == "bleu" else (
        "chrF2" if case["metric"] == "chrf" else "chrF2++")
    expected = f"{name}|{case['signature']} = {case['printed']}"
    if "verbose" in case:
        expected += f" {case['verbose']}"
    if lines != [expected]:
        fail(f"corpus {case['hyp']} {case['refs']} {cfg}:\n  CLI:    {lines!r}\n"
             f"  oracle: {[expected]!r}")
    return lines


def build_realmt_corpus(realmt, pool, jobs, n_crosscheck):
    sets = discover_realmt(realmt)
    tasks = []
    for sp in sorted(sets):
        entry = sets[sp]
        ref_sets = [[entry["ref"]]]
        if entry["refB"]:
            ref_sets.append([entry["ref"], entry["refB"]])
        for ref_names in ref_sets:
            for cfg in metric_configs():
                tasks.append((realmt, ref_names, entry["systems"], cfg))
    # Biggest sets first for better load balancing; order is restored by sorting.
    cases = []
    for chunk in pool.imap_unordered(corpus_task, tasks):
        cases.extend(chunk)
    cases.sort(key=case_sort_key)
    print(f"realmt: {len(cases)} corpus cases computed", flush=True)

    # Cross-checks on a fixed-seed sample: (a) plain uncached API call,
    # (b) the real CLI.
    sample = crosscheck_sample(cases, n_crosscheck)
    uncached = pool.map(uncached_task, [(realmt, cases[i]) for i in sample])
    for i, rec in zip(sample, uncached):
        mine = {k: cases[i][k] for k in rec}
        if mine != rec:
            fail(f"uncached API differs for {cases[i]['hyp']} {cases[i]['refs']}: "
                 f"{rec} vs {mine}")
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        list(ex.map(lambda i: crosscheck_corpus_case(realmt, cases[i]), sample))
    print(f"realmt: cross-checked {len(sample)} cases against API (uncached) and CLI",
          flush=True)
    return cases


# --------------------------------------------------------------------------
# 2. Sentence-level scores
# --------------------------------------------------------------------------

def build_sentence_level(realmt, jobs, tmpdir):
    hyps = read_lines_like_cli(os.path.join(realmt, SENTENCE_HYP))[:SENTENCE_N]
    refs = read_lines_like_cli(os.path.join(realmt, SENTENCE_REF))[:SENTENCE_N]
    # Files holding exactly those lines, for the CLI cross-check.  Lines are
    # already rstripped, so reading them back yields the same strings.
    hyp_path = os.path.join(tmpdir, "sl.hyp.txt")
    ref_path = os.path.join(tmpdir, "sl.ref.txt")
    for path, lines in ((hyp_path, hyps), (ref_path, refs)):
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("".join(line + "\n" for line in lines))

    result = {"hyp": SENTENCE_HYP, "refs": [SENTENCE_REF], "n_lines": SENTENCE_N,
              "bleu": {}}
    cfg13a = {"metric": "bleu", "tokenize": "13a", "lowercase": False}

    runs = []  # (key, metric, cli_args)
    for method in SMOOTH_METHODS:
        # The CLI sets effective_order=True in --sentence-level mode.
        metric = make_metric(cfg13a, references=[refs], smooth_method=method,
                             effective_order=True)
        runs.append((("bleu", method), metric, cli_metric_args(cfg13a, method)))
    for name in ("chrf", "chrf++"):
        cfg = {"metric": name, "lowercase": False}
        runs.append(((name, None), make_metric(cfg, references=[refs]),
                     cli_metric_args(cfg)))

    # CLI runs in parallel threads, API scoring here meanwhile.
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        cli_futures = {key: ex.submit(run_cli, [ref_path], hyp_path,
                                      [*args, "--sentence-level"])
                       for key, _, args in runs}
        for key, metric, cli_args in runs:
            lines, expected_lines = [], []
            for i, (h, r) in enumerate(zip(hyps, refs), 1):
                score = metric.sentence_score(h, [r])
                sig = metric.get_signature().format()
                rec = score_record(score, sig)
                del rec["signature"]
                rec["line"] = i
                lines.append(rec)
                expected_lines.append(text_line(score, sig))
            cli_lines = cli_futures[key].result()
            if cli_lines != expected_lines:
                bad = [i + 1 for i, (a, b) in enumerate(zip(cli_lines, expected_lines))
                       if a != b]
                fail(f"sentence-level {key}: CLI output differs "
                     f"({len(cli_lines)} vs {len(expected_lines)} lines; "
                     f"differing lines {bad[:10]})")
            entry = {"signature": metric.get_signature().format(),
                     "cli_args": cli_args + ["--sentence-level", "-w", "2"],
                     "lines": lines}
            if key[0] == "bleu":
                method = key[1]
                entry.update({"smooth_method": method,
                              "smooth_value": BLEU.SMOOTH_DEFAULTS[method],
                              "tokenize": "13a", "effective_order": True})
                result["bleu"][method] = entry
            else:
                result[key[0]] = entry

    # Raw statistics are method independent; the add-k BLEUScore reports
    # smoothed counts, so store the raw ones (taken from the `exp` run).
    raw = result["bleu"]["exp"]["lines"]
    for method in SMOOTH_METHODS:
        for rec, base in zip(result["bleu"][method]["lines"], raw):
            if method != "add-k":
                assert (rec["counts"], rec["totals"]) == (base["counts"], base["totals"])
            rec["counts"], rec["totals"] = list(base["counts"]), list(base["totals"])
    print(f"sentence-level: {SENTENCE_N} lines x {len(runs)} metrics, CLI-checked",
          flush=True)
    return result


# --------------------------------------------------------------------------
# 3. Edge cases
# --------------------------------------------------------------------------

# Hand-written news-style sentence pairs (reference, hypothesis).
PAIRS = [
    ("The central bank left interest rates unchanged on Thursday, citing persistent inflation.",
     "The central bank kept interest rates unchanged on Thursday, pointing to persistent inflation."),
    ("Officials said the new bridge would open to traffic by the end of next year.",
     "Officials said that the new bridge will be opened to traffic by the end of next year."),
    ("The mayor declined to comment on the report.",
     "The mayor refused to comment on the report."),
    ("Heavy rain caused flooding in several districts of the city overnight.",
     "Heavy rains flooded several districts of the city during the night."),
    ("The company's shares fell 4.5% in early trading in New York.",
     "Shares of the company fell by 4.5% in early trading in New York."),
    ("Talks between the two delegations are expected to resume next week.",
     "Negotiations between the two delegations are expected to resume next week."),
    ("Police have arrested three people in connection with the robbery.",
     "The police arrested three people in connection with the robbery."),
    ("The museum will reopen to visitors on 1 March after a two-year renovation.",
     "The museum will reopen for visitors on March 1 after two years of renovation."),
    ("\"We are doing everything we can,\" the minister told reporters.",
     "\"We are doing everything possible,\" the minister told journalists."),
    ("About 1,200 people were evacuated from the area, according to local authorities.",
     "According to local authorities, about 1,200 people were evacuated from the area."),
    ("The match ended in a 2-2 draw after a late equaliser.",
     "The match ended in a draw, 2-2, after a late equalizer."),
    ("Prices for electricity and gas rose sharply in the winter months.",
     "Electricity and gas prices rose sharply during the winter months."),
]
R = [p[0] for p in PAIRS]
H = [p[1] for p in PAIRS]

BOM = "\ufeff"


def make_long_line_case(realmt):
    """Line 2 is 10,000 words drawn (fixed seed) from the words of
    wmt21.ru-en.ref.txt; the hypothesis is a copy with ~20% of the words
    replaced by other random vocabulary words."""
    vocab = set()
    for line in read_lines_like_cli(os.path.join(realmt, "wmt21.ru-en.ref.txt")):
        vocab.update(line.split())
    vocab = sorted(vocab)                       # sorted: independent of set order
    rng = random.Random(LONG_LINE_SEED)
    ref_words = [rng.choice(vocab) for _ in range(10000)]
    hyp_words = [rng.choice(vocab) if rng.random() < 0.2 else w for w in ref_words]
    assert len(" ".join(ref_words).split()) == len(" ".join(hyp_words).split()) == 10000
    ref = [R[0], " ".join(ref_words), R[1]]
    hyp = [H[0], " ".join(hyp_words), H[1]]
    return hyp, ref


def edge_cases(realmt):
    """List of (name, description, hyp_bytes, ref_bytes, sentence_level)."""
    def enc(lines, eol="\n", bom=False, final_eol=True):
        text = eol.join(lines) + (eol if final_eol else "")
        return ((BOM if bom else "") + text).encode("utf-8")

    cases = []

    hyp = list(H[:8]); hyp[2] = ""; hyp[5] = ""
    cases.append(("empty_hyp_lines", "hypothesis lines 3 and 6 are empty",
                  enc(hyp), enc(R[:8]), True))

    ref = list(R[:8]); ref[1] = ""; ref[6] = ""
    cases.append(("empty_ref_lines", "reference lines 2 and 7 are empty",
                  enc(H[:8]), enc(ref), True))

    cases.append(("all_empty_hyp", "all 6 hypothesis lines are empty",
                  enc([""] * 6), enc(R[:6]), True))

    cases.append(("bom", "both files start with a UTF-8 BOM (EF BB BF)",
                  enc(H[:6], bom=True), enc(R[:6], bom=True), True))

    ref = [R[0], "...", "\u2014", "?!", "\u00ab \u00bb", "--", R[2], "..."]
    hyp = [H[0], "...", "--", "?!", "\u00ab \u00bb", "\u2014", H[2], "\u2026"]
    cases.append(("punct_only", "lines consisting only of punctuation "
                  "(..., em dash, ?!, guillemets, --, ellipsis)",
                  enc(hyp), enc(ref), False))

    hyp, ref = make_long_line_case(realmt)
    cases.append(("long_line", "line 2 has exactly 10,000 words in both files; "
                  "the hypothesis has ~20% of them replaced",
                  enc(hyp), enc(ref), False))

    cases.append(("crlf", "both files use CRLF line ends",
                  enc(H[:6], eol="\r\n"), enc(R[:6], eol="\r\n"), False))

    hyp = [H[0] + "   ", H[1] + "\t", H[2] + " \t \t",
           "The company's shares fell 4.5\u2009% in early trading in New\u00a0York.\u2009\u00a0",
           H[5], H[6] + " "]
    ref = [R[0], R[1] + "  ", R[2], R[4] + "\u00a0", R[5] + "\t ", R[6]]
    cases.append(("trailing_ws", "trailing spaces/tabs; U+00A0 and U+2009 inside "
                  "and at the end of a line", enc(hyp), enc(ref), False))

    hyp = ["Officials\x1csaid the\x1dnew bridge\x1ewould open\x1fto traffic by the "
           "end of next\u3000year.",
           H[2].replace(" ", "\u3000"),
           H[3] + "\x1f",
           "The\x1c\x1d\x1e\x1fpolice arrested three people.",
           H[6]]
    ref = [R[1], R[2], R[3].replace(" ", "\x1e", 2), "Police arrested three people.",
           R[6].replace(" the ", "\u3000the\u3000")]
    cases.append(("unicode_ws", "U+001C..U+001F and U+3000 between words "
                  "(whitespace for Python's str.split/rstrip)", enc(hyp), enc(ref), False))

    ref = ["\u201cWe will not give up,\u201d she said \u2014 and the crowd cheered\u2026",
           "The delegation visited \u5317\u4eac and \u4e0a\u6d77 last week.",
           "\u4e60\u8fd1\u5e73 met the visiting president on Tuesday.",
           "\u2018Small steps\u2019 matter, the report concluded.",
           "Sales rose 12% year on year, to 3.4 billion yuan (about $470 million).",
           "\u4ed6\u8bf4\uff1a\u201c\u6211\u4eec\u4f1a\u7ee7\u7eed\u52aa\u529b\u3002\u201d"]
    hyp = ["\"We will not give up\", she said - and the crowd cheered...",
           "The delegation visited Beijing and \u4e0a\u6d77 last week.",
           "\u4e60\u8fd1\u5e73 met with the visiting president on Tuesday.",
           "'Small steps' matter, concluded the report.",
           "Sales increased 12% year-on-year to 3.4 billion yuan (about $470 million).",
           "\u4ed6\u8bf4\uff1a\u201c\u6211\u4eec\u5c06\u7ee7\u7eed\u52aa\u529b\u3002\u201d"]
    cases.append(("zh_quotes", "curly quotes, em dash, ellipsis, CJK text and "
                  "fullwidth punctuation", enc(hyp), enc(ref), False))

    # ---- extra cases beyond the original list ----
    cases.append(("bom_hyp_only", "only the hypothesis file starts with a BOM "
                  "(its first word then differs from the reference's)",
                  enc([R[0]] + H[1:6], bom=True), enc(R[:6]), False))

    hyp = ["Officials said\rthe new bridge would open to traffic by the end of next year.",
           "The mayor\x0bdeclined\x0cto comment on the report.",
           "Heavy rain caused\x85flooding in several\u2028districts of the\u2029city overnight.",
           "Police have arrested\x1cthree people in connection with the robbery."]
    cases.append(("odd_line_breaks", "lone CR, VT, FF, U+001C, U+0085, U+2028, U+2029 "
                  "inside hypothesis lines: not line breaks for the CLI (only \\n is), "
                  "but whitespace for str.split", enc(hyp),
                  enc([R[1], R[2], R[3], R[6]]), False))

    cases.append(("no_final_newline", "neither file ends with a newline",
                  enc(H[:4], final_eol=False), enc(R[:4], final_eol=False), False))

    hyp = ["AT&amp;T shares rose &quot;sharply&quot; on Monday &lt;report&gt;.",
           "The <skipped> minister resigned on Friday.",
           "Tom &amp; Jerry &amp;amp; friends"]
    ref = ["AT&T shares rose \"sharply\" on Monday <report>.",
           "The minister resigned on Friday.",
           "Tom & Jerry &amp; friends"]
    cases.append(("html_entities", "13a un-escapes &quot; &amp; &lt; &gt; and drops "
                  "<skipped>; chrF does not", enc(hyp), enc(ref), False))
    return cases


def build_edge(realmt, edge_dir, jobs):
    os.makedirs(edge_dir, exist_ok=True)
    specs = edge_cases(realmt)
    for name, _, hyp_b, ref_b, _ in specs:
        for kind, data in (("hyp", hyp_b), ("ref", ref_b)):
            with open(os.path.join(edge_dir, f"{name}.{kind}.txt"), "wb") as fh:
                fh.write(data)

    cfgs = {"bleu": {"metric": "bleu", "tokenize": "13a", "lowercase": False},
            "chrf": {"metric": "chrf", "lowercase": False},
            "chrf++": {"metric": "chrf++", "lowercase": False}}
    out = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        for name, desc, _, _, sentence_level in specs:
            hyp_path = os.path.join(edge_dir, f"{name}.hyp.txt")
            ref_path = os.path.join(edge_dir, f"{name}.ref.txt")
            hyps = read_lines_like_cli(hyp_path)
            refs = read_lines_like_cli(ref_path)
            assert len(hyps) == len(refs), name
            case = {"case": name, "description": desc,
                    "hyp": f"{name}.hyp.txt", "ref": f"{name}.ref.txt",
                    "n_lines": len(hyps),
                    "first_hyp_line_repr": repr(hyps[0]),
                    "first_ref_line_repr": repr(refs[0]),
                    "hyp_lines": hyps, "ref_lines": refs, "corpus": {}}
            futures = {}
            for mname, cfg in cfgs.items():
                metric = make_metric(cfg, references=[refs])
                score = metric.corpus_score(hyps, None)
                sig = metric.get_signature().format()
                rec = score_record(score, sig)
                rec["cli_args"] = cli_metric_args(cfg)
                rec["cli_line"] = text_line(score, sig)
                case["corpus"][mname] = rec
                futures[mname] = ex.submit(run_cli, [ref_path], hyp_path, rec["cli_args"])
            if sentence_level:
                metric = make_metric(cfgs["bleu"], references=[refs], effective_order=True)
                sb = []
                for i, (h, r) in enumerate(zip(hyps, refs), 1):
                    score = metric.sentence_score(h, [r])
                    sig = metric.get_signature().format()
                    rec = score_record(score, sig)
                    del rec["signature"]
                    rec.update({"line": i, "cli_line": text_line(score, sig)})
                    sb.append(rec)
                case["sentence_bleu"] = sb
                futures["sentence"] = ex.submit(
                    run_cli, [ref_path], hyp_path,
                    cli_metric_args(cfgs["bleu"]) + ["--sentence-level"])
            for key, fut in futures.items():
                cli = fut.result()
                if key == "sentence":
                    expected = [rec["cli_line"] for rec in case["sentence_bleu"]]
                else:
                    expected = [case["corpus"][key]["cli_line"]]
                if cli != expected:
                    fail(f"edge {name} {key}:\n  CLI:    {cli!r}\n  oracle: {expected!r}")
            out.append(case)
    print(f"edge: {len(out)} cases, all CLI-checked", flush=True)
    return out


# --------------------------------------------------------------------------
# Articles: sacreBLEU on gold-aligned article pairs
# --------------------------------------------------------------------------

# tqscore's typographic folding (src/normalize.rs): applied after NFC.
FOLD = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc\uff07"}
FOLD.update({c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\uff02"})


def normalize_text(text, fold):
    text = unicodedata.normalize("NFC", text)
    return "".join(FOLD.get(c, c) for c in text) if fold else text


def read_gold(path):
    """Beads of a gold alignment file (fixtures/align/README.md): (refs, cands)."""
    beads, refs, cands = [], [], []
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n") + [""]
    for line in lines:
        if line.startswith("#"):
            continue
        if line.startswith("R| "):
            refs.append(line[3:])
        elif line.startswith("C| "):
            cands.append(line[3:])
        elif not line.strip():
            if refs or cands:
                beads.append((refs, cands))
            refs, cands = [], []
        else:
            fail(f"{path}: unexpected line {line!r}")
    return beads


# tqscore's document rule `doc:paragraphs` (src/document.rs): a unit grows by whole
# beads, up to this many bytes of reference text (each sentence counting a space).
MAX_UNIT_BYTES = 1000


def reference_paragraphs(case_dir, beads):
    """The paragraph (0-based non-blank line of reference.txt) of every gold
    reference sentence, in order: each sentence is found in its line after the
    previous one."""
    with open(os.path.join(case_dir, "reference.txt"), encoding="utf-8-sig") as fh:
        lines = [line.strip() for line in fh.read().splitlines() if line.strip()]
    paragraphs, line, at = [], 0, 0
    for refs, _ in beads:
        for sentence in refs:
            while line < len(lines) and lines[line].find(sentence, at) < 0:
                line, at = line + 1, 0
            if line == len(lines):
                fail(f"{case_dir}: gold sentence {sentence!r} not found in reference.txt")
            at = lines[line].find(sentence, at) + len(sentence)
            paragraphs.append(line)
    return paragraphs


def document_units(case_dir, beads, fold):
    """(refs, hyps) of the document rule's units over the gold beads: runs of beads
    whose reference sentences share a paragraph, one segment each; omitted sentences
    in their paragraph's unit, additions inside the body in the unit they fall in or
    a unit of their own between units."""
    norm = lambda s: normalize_text(s, fold)  # noqa: E731
    paragraphs = iter(reference_paragraphs(case_dir, beads))
    paired = [i for i, b in enumerate(beads) if b[0] and b[1]]
    units, current, added = [], None, []
    for i, (refs, cands) in enumerate(beads):
        if not refs:
            if paired and paired[0] < i < paired[-1]:
                added += [norm(c) for c in cands]
            continue
        para = [next(paragraphs) for _ in refs]
        size = sum(len(norm(r).encode("utf-8")) + 1 for r in refs)
        if current is None or para[0] > current["reaches"] or current["size"] + size > MAX_UNIT_BYTES:
            if current is not None:
                units.append((current["refs"], current["hyps"]))
            units += [([], [a]) for a in added]
            added = []
            current = {"refs": [], "hyps": [], "reaches": para[-1], "size": 0}
        current["hyps"] += added
        added = []
        current["refs"] += [norm(r) for r in refs]
        current["hyps"] += [norm(c) for c in cands]
        current["reaches"] = max(current["reaches"], para[-1])
        current["size"] += size
    if current is not None:
        units.append((current["refs"], current["hyps"]))
    units += [([], [a]) for a in added]
    return [" ".join(r) for r, _ in units], [" ".join(h) for _, h in units]


def build_articles(case_dirs):
    """For each article case: corpus BLEU/chrF over its gold-aligned pairs
    (sides joined with one space), with and without quote folding, and
    sentence BLEU (effective order, exp) / chrF of every pair."""
    out = {}
    for case_dir in case_dirs:
        name = os.path.basename(os.path.normpath(case_dir))
        all_beads = read_gold(os.path.join(case_dir, "gold.txt"))
        beads = [b for b in all_beads if b[0] and b[1]]
        paired = [i for i, b in enumerate(all_beads) if b[0] and b[1]]
        # The honest document rule: omitted reference sentences against an empty
        # hypothesis; unaligned candidate sentences inside the body (between the
        # first and the last pair) against an empty reference; the rest left out.
        omitted = [b[0] for b in all_beads if not b[1]]
        additions = [b[1] for i, b in enumerate(all_beads)
                     if not b[0] and paired and paired[0] < i < paired[-1]]
        record = {"pairs": len(beads), "omitted": len(omitted), "extra_in_body": len(additions)}
        for fold in (True, False):
            refs = [" ".join(normalize_text(s, fold) for s in r) for r, _ in beads]
            hyps = [" ".join(normalize_text(s, fold) for s in c) for _, c in beads]
            whole_refs, whole_hyps = document_units(case_dir, all_beads, fold)
            bleu, chrf = BLEU(), CHRF()
            sbleu = BLEU(effective_order=True)
            b, c = bleu.corpus_score(hyps, [refs]), chrf.corpus_score(hyps, [refs])
            wb = BLEU().corpus_score(whole_hyps, [whole_refs])
            wc = CHRF().corpus_score(whole_hyps, [whole_refs])
            ter = TER()
            t, wt = ter.corpus_score(hyps, [refs]), TER().corpus_score(whole_hyps, [whole_refs])
            record["fold" if fold else "nofold"] = {
                "bleu": {"score": b.score, "printed": f"{b.score:.2f}",
                         "signature": str(bleu.get_signature())},
                "chrf": {"score": c.score, "printed": f"{c.score:.2f}",
                         "signature": str(chrf.get_signature())},
                "ter": {"score": t.score, "printed": f"{t.score:.2f}",
                        "signature": str(ter.get_signature())},
                "whole": {"bleu": {"score": wb.score, "printed": f"{wb.score:.2f}"},
                          "chrf": {"score": wc.score, "printed": f"{wc.score:.2f}"},
                          "ter": {"score": wt.score, "printed": f"{wt.score:.2f}"}},
                "pair_ter": [TER().sentence_score(h, [r]).score for h, r in zip(hyps, refs)],
                "pair_bleu": [sbleu.sentence_score(h, [r]).score for h, r in zip(hyps, refs)],
                "pair_chrf": [chrf.sentence_score(h, [r]).score for h, r in zip(hyps, refs)],
            }
        out[name] = record
    print(f"articles: {len(out)} cases", flush=True)
    return out


FORMAT_ARTICLES = (
    "cases.<name>: pairs (number of gold beads with both sides), omitted (gold "
    "reference-only beads), extra_in_body (gold candidate-only beads between the first "
    "and the last pair), fold / nofold = "
    "{bleu, chrf: {score, printed, signature} of sacreBLEU corpus_score over the gold "
    "pairs (sentences of a side joined by one space, text NFC-normalised and, for "
    "fold, curly quotes folded as tqscore does), ter: the same for TER (default options), "
    "whole: {bleu, chrf, ter: {score, printed}} of corpus_score over the document rule's "
    "units (runs of gold beads whose reference sentences share a reference paragraph, up "
    "to MAX_UNIT_BYTES bytes, as one segment; omitted sentences in their paragraph's unit, "
    "extra_in_body sentences in the unit they fall in or against an empty reference: the "
    "headline document rule), pair_bleu / pair_chrf / pair_ter: per gold pair "
    "sentence_score (BLEU with effective_order=True)}.")


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

def environment():
    import regex
    return {"python": sys.version.split()[0],
            "python_unicodedata": unicodedata.unidata_version,
            "regex": regex.__version__}


def write_json(path, obj):
    # ensure_ascii: pure-ASCII files; floats use repr() (json's default).
    text = json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=True,
                      allow_nan=False)
    with open(path, "w", encoding="ascii", newline="\n") as fh:
        fh.write(text + "\n")


FORMAT_CORPUS = (
    "cases: one per (hyp system file, refs list, metric config). Keys: hyp, refs "
    "(file names in the realmt dir), metric (bleu|chrf|chrf++), tokenize (bleu only), "
    "lowercase, score (full float), printed (f'{score:.2f}' as `sacrebleu -w 2 -b` prints), "
    "signature (full sacreBLEU signature). bleu also: counts, totals, sys_len, ref_len, "
    "bp, precisions, verbose (text printed after the score). Lines read as the CLI does: "
    "utf-8, split on \\n only, rstrip() each line. See scripts/oracle.py docstring.")
FORMAT_SENTENCE = (
    "Per-line scores for the first n_lines lines of hyp vs refs, as `sacrebleu "
    "--sentence-level -w 2` computes them. bleu.<smooth_method>: tokenize 13a, "
    "effective_order true; lines[i] = {line (1-based), score, printed, counts, totals "
    "(raw n-gram stats, unsmoothed), sys_len, ref_len, bp, precisions, verbose}. "
    "chrf / chrf++: lines[i] = {line, score, printed}. signature is the full signature; "
    "cli_args are the sacrebleu arguments that reproduce it. The CLI text line is "
    "'<name>|<signature> = <printed>[ <verbose>]'. See scripts/oracle.py docstring.")
FORMAT_EDGE = (
    "cases[i]: case, description, hyp/ref (file names in fixtures/edge), n_lines, "
    "first_hyp_line_repr / first_ref_line_repr (Python repr of line 1 after CLI "
    "reading), hyp_lines / ref_lines (all lines after CLI reading: utf-8, split on \\n "
    "only, rstrip(); a BOM stays as U+FEFF), corpus.{bleu,chrf,chrf++} = {score, "
    "printed, signature, cli_args, cli_line (exact output of `sacrebleu REF -i HYP "
    "<cli_args> -w 2 -f text`), bleu also counts, totals, sys_len, ref_len, bp, "
    "precisions, verbose}, optional sentence_bleu[i] = {line, score, printed, counts, "
    "totals, sys_len, ref_len, bp, precisions, verbose, cli_line} (--sentence-level, "
    "13a, exp). See scripts/oracle.py docstring.")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--realmt", required=True, help="directory with the realmt data")
    ap.add_argument("--out", required=True, help="output dir for the JSON fixtures")
    ap.add_argument("--edge-dir", default="fixtures/edge",
                    help="where the edge-case input files are written")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--n-crosscheck", type=int, default=DEFAULT_N_CROSSCHECK,
                    help="number of corpus cases re-checked with the real CLI "
                         "(at least the 24 stratified/special ones)")
    ap.add_argument("--articles", nargs="*", default=None,
                    help="article case directories with gold.txt (default: "
                         "fixtures/seed and fixtures/align/*)")
    ap.add_argument("--articles-only", action="store_true",
                    help="only (re)write articles.json")
    args = ap.parse_args()
    if args.articles is None:
        args.articles = ["fixtures/seed"] + sorted(
            os.path.join("fixtures/align", d) for d in os.listdir("fixtures/align")
            if os.path.isfile(os.path.join("fixtures/align", d, "gold.txt")))

    if sacrebleu.__version__ != EXPECTED_VERSION:
        sys.exit(f"need sacrebleu {EXPECTED_VERSION}, found {sacrebleu.__version__}")

    header = {"sacrebleu_version": sacrebleu.__version__, "generator": GENERATOR,
              "environment": environment()}

    articles = build_articles(args.articles)
    os.makedirs(args.out, exist_ok=True)
    write_json(os.path.join(args.out, "articles.json"),
               {**header, "format": FORMAT_ARTICLES, "cases": articles})
    if args.articles_only:
        return

    jobs = max(1, args.jobs)
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with ctx.Pool(jobs) as pool, tempfile.TemporaryDirectory() as tmp:
        edge = build_edge(args.realmt, args.edge_dir, jobs)
        sentence = build_sentence_level(args.realmt, jobs, tmp)
        corpus = build_realmt_corpus(args.realmt, pool, jobs, args.n_crosscheck)

    if FAILURES:
        print(f"\n*** {len(FAILURES)} MISMATCH(ES) between oracle and sacrebleu CLI; "
              f"fixtures NOT written ***", file=sys.stderr)
        for msg in FAILURES:
            print(f" - {msg}", file=sys.stderr)
        sys.exit(1)

    os.makedirs(args.out, exist_ok=True)
    write_json(os.path.join(args.out, "realmt_corpus.json"),
               {**header, "format": FORMAT_CORPUS, "cases": corpus})
    write_json(os.path.join(args.out, "sentence_level.json"),
               {**header, "format": FORMAT_SENTENCE, **sentence})
    write_json(os.path.join(args.out, "edge.json"),
               {**header, "format": FORMAT_EDGE, "cases": edge})
    print(f"wrote {args.out}/realmt_corpus.json ({len(corpus)} cases), "
          f"sentence_level.json ({SENTENCE_N} lines), edge.json ({len(edge)} cases)")


if __name__ == "__main__":
    main()
