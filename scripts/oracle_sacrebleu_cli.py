#!/usr/bin/env python3
"""sacreBLEU 2.6.0's command line, recorded for `tqscore sacrebleu` (tests/sacrebleu_cli.rs).

Runs the real `sacrebleu` command over a table of command lines on the WMT data
in ../shared/data/realmt and writes what it printed on standard output, and its
exit code, to fixtures/oracle/sacrebleu-cli/cases.json, so the Rust tests need no
Python:

    target/oracle-venv/bin/python scripts/oracle_sacrebleu_cli.py \\
        --realmt ../shared/data/realmt --out fixtures/oracle/sacrebleu-cli

(the virtualenv of scripts/oracle.sh, pinned by scripts/oracle-requirements.txt).

Every command runs in a fresh work directory holding the realmt files it names
(symlinked, so system names print as bare file names), for a name
`head200.FILE` the first 200 lines of FILE (small inputs for sentence-level
rows), for `tabs.A+B` the lines of A and B joined by a tab (`-nr 2`), and for
`gz.FILE.gz` FILE gzip-compressed (the name ends in `.gz`, so sacreBLEU reads it
through gzip). The Rust test builds the same directory. Standard output is a pipe and
NO_COLOR is unset, as in a script: sacreBLEU (colorama) prints no colours.
`--only ID ...` records just those cases and keeps the others from the existing
cases.json (sacreBLEU's paired tests take minutes each).

cases.json = {"sacrebleu_version", "environment", "cases": [CASE, ...]} with
CASE = {"id", "args" [argument list after `sacrebleu`], "stdin" (a file name of
the work directory fed on standard input, or null), "env" {NAME: VALUE},
"stdout", "exit", "note" (why tqscore's output is meant to differ, or null)}.
"""

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile

R = "wmt21.ru-en.ref.txt"
RB = "wmt21.ru-en.refB.txt"
AFRL = "wmt21.ru-en.sys.AFRL.txt"
MANI = "wmt21.ru-en.sys.Manifold.txt"
ONB = "wmt21.ru-en.sys.Online-B.txt"
NIU = "wmt21.ru-en.sys.NiuTrans.txt"
TABS = "tabs." + R + "+" + RB
SR = "head200." + R
SH = "head200." + AFRL
GZR = "gz." + R + ".gz"
GZA = "gz." + AFRL + ".gz"
ZR = "wmt21.zh-en.ref.txt"
ZMT = "wmt21.zh-en.sys.Machine_Translation.txt"
ZNJ = "wmt21.zh-en.sys.NJUSC_TSC.txt"
ZNIU = "wmt21.zh-en.sys.NiuTrans.txt"
CRASH = ("sacreBLEU's JSON writer fails on chrF's float32 bootstrap values (TypeError, exit 1); "
         "tqscore prints the JSON sacreBLEU meant to print")

# (id, args, stdin, env, note)
CASES = [
    ("default-json", [R, "-i", AFRL], None, {}, None),
    ("score-only", [R, "-i", AFRL, "-b"], None, {}, None),
    ("width-2", [R, "-i", AFRL, "-w", "2"], None, {}, None),
    ("width-0-json", [R, "-i", AFRL, "-w", "0"], None, {}, None),
    ("text", [R, "-i", AFRL, "-f", "text"], None, {}, None),
    ("three-metrics-json", [R, "-i", AFRL, "-m", "bleu", "chrf", "ter"], None, {}, None),
    ("three-metrics-text", [R, "-i", AFRL, "-m", "bleu", "chrf", "ter", "-f", "text"], None, {}, None),
    ("metrics-sorted", [R, "-i", AFRL, "-m", "ter", "chrf", "bleu", "-f", "text", "-w", "2"], None, {}, None),
    ("score-only-json-list", [R, "-i", AFRL, "--score-only", "-m", "bleu", "chrf"], None, {}, None),
    ("chrf++-json", [R, "-i", AFRL, "-m", "chrf", "--chrf-word-order", "2"], None, {}, None),
    ("chrf++-text-w3", [R, "-i", AFRL, "-m", "chrf", "-cw", "2", "-f", "text", "-w", "3"], None, {}, None),
    ("chrf+-word-order-1", [R, "-i", AFRL, "-m", "chrf", "--chrf-word-order", "1", "-f", "text"], None, {}, None),
    ("tok-intl", [R, "-i", AFRL, "-tok", "intl"], None, {}, None),
    ("tok-char", [R, "-i", AFRL, "-tok", "char", "-f", "text"], None, {}, None),
    ("tok-none-b", [R, "-i", AFRL, "-tok", "none", "-b"], None, {}, None),
    ("tok-zh", [R, "-i", AFRL, "-tok", "zh", "-f", "text"], None, {}, None),
    ("tok-13a-lc", [R, "-i", AFRL, "-tok", "13a", "-lc", "-f", "text"], None, {}, None),
    ("lc-b", [R, "-i", AFRL, "-lc", "-b", "-w", "3"], None, {}, None),
    ("two-refs", [R, RB, "-i", AFRL], None, {}, None),
    ("two-refs-three-metrics", [R, RB, "-i", AFRL, "-m", "bleu", "chrf", "ter", "-f", "text"], None, {}, None),
    ("short-text", [R, "-i", AFRL, "--short", "-f", "text"], None, {}, None),
    ("short-three-metrics", [R, "-i", AFRL, "-m", "bleu", "chrf", "ter", "-sh", "-f", "text"], None, {}, None),
    ("short-ignored-in-json", [R, "-i", AFRL, "--short"], None, {}, None),
    ("sentence-bleu", [SR, "-i", SH, "-sl"], None, {}, None),
    ("sentence-chrf", [SR, "-i", SH, "--sentence-level", "-m", "chrf", "-f", "text"], None, {}, None),
    ("sentence-ter-b", [SR, "-i", SH, "-sl", "-m", "ter", "-b"], None, {}, None),
    ("sentence-floor-short", [SR, "-i", SH, "-sl", "--smooth-method", "floor", "-w", "2", "--short"], None, {}, None),
    ("smooth-floor", [R, "-i", AFRL, "--smooth-method", "floor"], None, {}, None),
    ("smooth-add-k", [R, "-i", AFRL, "-s", "add-k", "--smooth-value", "2", "-f", "text"], None, {}, None),
    ("smooth-none", [R, "-i", AFRL, "--smooth-method", "none", "-b", "-w", "4"], None, {}, None),
    ("chrf-eps", [R, "-i", AFRL, "-m", "chrf", "--chrf-eps-smoothing"], None, {}, None),
    ("chrf-lc-space", [R, "-i", AFRL, "-m", "chrf", "--chrf-lowercase", "--chrf-whitespace", "-f", "text"], None, {}, None),
    ("chrf-orders", [R, "-i", AFRL, "-m", "chrf", "-cc", "4", "--chrf-beta", "1", "-f", "text"], None, {}, None),
    ("ter-case", [R, "-i", AFRL, "-m", "ter", "--ter-case-sensitive"], None, {}, None),
    ("ter-norm-punct", [R, "-i", AFRL, "-m", "ter", "--ter-no-punct", "--ter-normalized", "-f", "text"], None, {}, None),
    ("ter-asian", [R, "-i", AFRL, "-m", "ter", "--ter-asian-support", "--ter-normalized", "-f", "text"], None, {}, None),
    ("confidence-json", [R, "-i", AFRL, "--confidence"], None, {}, None),
    ("confidence-text", [R, "-i", AFRL, "-m", "bleu", "chrf", "--confidence", "-f", "text"], None, {}, None),
    ("confidence-n-b", [R, "-i", AFRL, "-ci", "-cin", "200", "-b"], None, {}, None),
    ("confidence-seed", [R, "-i", AFRL, "--confidence", "-f", "text", "-w", "3"], None, {"SACREBLEU_SEED": "7"}, None),
    ("systems-json", [R, "-i", AFRL, MANI, ONB], None, {}, None),
    ("systems-text", [R, "-i", AFRL, MANI, ONB, "-f", "text"], None, {}, None),
    ("systems-three-metrics", [R, "-i", AFRL, MANI, ONB, "-m", "bleu", "chrf", "ter", "-f", "text", "-w", "2"],
     None, {}, None),
    ("systems-short", [R, RB, "-i", AFRL, MANI, "--short", "-f", "text"], None, {}, None),
    ("paired-bs-text", [R, "-i", ONB, AFRL, MANI, NIU, "--paired-bs", "-f", "text"], None, {}, None),
    ("paired-bs-two-metrics", [R, "-i", ONB, AFRL, MANI, "--paired-bs", "-m", "bleu", "chrf", "-f", "text"],
     None, {}, None),
    ("paired-bs-metric-order", [R, "-i", ONB, AFRL, "-pbs", "-m", "chrf", "bleu", "-f", "text", "-pbsn", "200"],
     None, {}, None),
    ("paired-ar-text", [R, "-i", ONB, AFRL, MANI, "--paired-ar", "-f", "text"], None, {}, None),
    ("paired-ar-n", [R, "-i", ONB, AFRL, MANI, "-par", "-parn", "1000", "-m", "bleu", "chrf", "-f", "text"],
     None, {}, None),
    ("paired-bs-json-bleu", [R, "-i", ONB, AFRL, MANI, "--paired-bs"], None, {}, None),
    ("paired-ar-json", [R, "-i", ONB, AFRL, "--paired-ar", "-m", "bleu", "chrf"], None, {}, None),
    ("paired-bs-json-chrf", [R, "-i", ONB, AFRL, "--paired-bs", "-m", "bleu", "chrf"], None, {}, CRASH),
    ("paired-bs-seed-short", [R, "-i", ONB, AFRL, "--paired-bs", "-pbsn", "300", "--short", "-f", "text"],
     None, {"SACREBLEU_SEED": "7"}, None),
    ("paired-baseline-repeated", [R, "-i", ONB, AFRL, ONB, "--paired-bs", "-pbsn", "100", "-f", "text"],
     None, {}, None),
    ("lang-ru-en", [R, "-l", "ru-en", "-i", AFRL], None, {}, None),
    ("lang-en-zh", [R, "-l", "en-zh", "-i", AFRL, "-f", "text"], None, {}, None),
    ("stdin", [R], AFRL, {}, None),
    ("stdin-two-metrics", [R, "-m", "bleu", "chrf", "-f", "text"], AFRL, {}, None),
    ("stdin-sentence", [SR, "-sl", "-m", "chrf", "-cw", "2", "-b", "-w", "2"], SH, {}, None),
    ("force-no-color", [R, "-i", AFRL, "--force", "-tok", "none", "-nc", "-f", "text"], None, {}, None),
    ("format-env", [R, "-i", AFRL, "-m", "bleu", "chrf"], None, {"SACREBLEU_FORMAT": "text"}, None),
    ("latex-single-is-text", [R, "-i", AFRL, "-f", "latex"], None, {}, None),
    ("latex-single-three-metrics", [R, "-i", AFRL, "-m", "bleu", "chrf", "ter", "-f", "latex"], None, {}, None),
    ("latex-systems", [R, "-i", ONB, AFRL, MANI, "-f", "latex"], None, {}, None),
    ("latex-three-metrics", [R, "-i", ONB, AFRL, MANI, "-m", "bleu", "chrf", "ter", "-f", "latex", "-w", "2"],
     None, {}, None),
    ("latex-short-env", [R, RB, "-i", ONB, AFRL, "--short", "-w", "0"], None, {"SACREBLEU_FORMAT": "latex"}, None),
    ("latex-paired-bs", [R, "-i", ONB, AFRL, MANI, "--paired-bs", "-f", "latex"], None, {}, None),
    ("latex-paired-bs-three-metrics",
     [R, "-i", ONB, AFRL, "-pbs", "-pbsn", "200", "-m", "bleu", "chrf", "ter", "-f", "latex"], None, {}, None),
    ("latex-paired-ar", [R, "-i", ONB, AFRL, MANI, "--paired-ar", "-m", "bleu", "chrf", "-f", "latex"],
     None, {}, None),
    ("latex-escaped-names", [ZR, "-i", ZMT, ZNJ, ZNIU, "-par", "-parn", "1000", "-f", "latex"], None, {}, None),
    ("gz-reference", [GZR, "-i", AFRL], None, {}, None),
    ("gz-system", [R, "-i", GZA, "-m", "bleu", "chrf", "-f", "text"], None, {}, None),
    ("gz-both", [GZR, "-i", GZA, MANI, "-m", "bleu", "ter", "-f", "text"], None, {}, None),
    ("quiet-jobs", [R, "-i", ONB, AFRL, "-q", "--paired-bs", "-pbsn", "100", "-j", "2", "-f", "text"],
     None, {}, None),
    ("num-refs-tabs", [TABS, "-nr", "2", "-i", AFRL, "-m", "bleu", "chrf", "ter", "-f", "text"], None, {}, None),
    ("error-num-refs-fields", [TABS, "-nr", "3", "-i", AFRL], None, {}, None),
    ("error-length-mismatch", [R, "-i", SH], None, {}, None),
    ("error-sentence-two-metrics", [R, "-i", AFRL, "-sl", "-m", "bleu", "chrf"], None, {}, None),
    ("error-confidence-systems", [R, "-i", AFRL, MANI, "--confidence"], None, {}, None),
    ("error-paired-one-system", [R, "-i", AFRL, "--paired-bs"], None, {}, None),
    ("error-unknown-metric", [R, "-i", AFRL, "-m", "meteor"], None, {}, None),
    ("error-no-reference", ["-i", AFRL], None, {}, None),
]


def prepare(workdir, realmt, names):
    """Put every realmt file named in `names` (or its first 200 lines) into `workdir`."""
    for name in names:
        target = os.path.join(workdir, name)
        if os.path.exists(target):
            continue
        if name.startswith("head200."):
            source = os.path.join(realmt, name[len("head200."):])
            if os.path.isfile(source):
                with open(source, encoding="utf-8", newline="\n") as f:
                    lines = [next(f) for _ in range(200)]
                with open(target, "w", encoding="utf-8", newline="\n") as f:
                    f.writelines(lines)
        elif name.startswith("tabs."):
            streams = []
            for part in name[len("tabs."):].split("+"):
                with open(os.path.join(realmt, part), encoding="utf-8", newline="\n") as f:
                    streams.append([line.rstrip("\n") for line in f])
            with open(target, "w", encoding="utf-8", newline="\n") as f:
                f.writelines("\t".join(fields) + "\n" for fields in zip(*streams))
        elif name.startswith("gz.") and name.endswith(".gz"):
            with open(os.path.join(realmt, name[len("gz."):-len(".gz")]), "rb") as f:
                data = f.read()
            with gzip.open(target, "wb") as f:
                f.write(data)
        elif os.path.isfile(os.path.join(realmt, name)):
            os.symlink(os.path.abspath(os.path.join(realmt, name)), target)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--realmt", default="../shared/data/realmt")
    parser.add_argument("--out", default="fixtures/oracle/sacrebleu-cli")
    parser.add_argument("--only", nargs="+", metavar="ID", help="record only these cases, keep the others")
    args = parser.parse_args()
    import sacrebleu

    kept = {}
    if args.only:
        unknown = set(args.only) - {case[0] for case in CASES}
        if unknown:
            parser.error(f"no such case: {', '.join(sorted(unknown))}")
        with open(os.path.join(args.out, "cases.json"), encoding="utf-8") as f:
            kept = {case["id"]: case for case in json.load(f)["cases"]}
    cases = []
    for case_id, argv, stdin, env, note in CASES:
        if args.only and case_id not in args.only:
            cases.append(kept[case_id])
            continue
        with tempfile.TemporaryDirectory() as workdir:
            prepare(workdir, args.realmt, argv + ([stdin] if stdin else []))
            run_env = {k: v for k, v in os.environ.items()
                       if k not in ("NO_COLOR", "SACREBLEU_FORMAT", "SACREBLEU_SEED")}
            run_env.update(env)
            feed = open(os.path.join(workdir, stdin), "rb") if stdin else subprocess.DEVNULL
            try:
                done = subprocess.run([sys.executable, "-m", "sacrebleu", *argv], cwd=workdir, env=run_env,
                                      stdin=feed, capture_output=True)
            finally:
                if stdin:
                    feed.close()
        cases.append({"id": case_id, "args": argv, "stdin": stdin, "env": env,
                      "stdout": done.stdout.decode("utf-8"), "exit": done.returncode, "note": note})
        print(f"{case_id}: exit {done.returncode}, {len(done.stdout)} bytes", file=sys.stderr)

    os.makedirs(args.out, exist_ok=True)
    report = {
        "sacrebleu_version": sacrebleu.__version__,
        "environment": {"python": platform.python_version()},
        "cases": cases,
    }
    with open(os.path.join(args.out, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
