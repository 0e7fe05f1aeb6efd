#!/usr/bin/env python3
"""sacreBLEU 2.6.0 oracle for tqscore's test-set scores (issue 14).

A test set's scores are the scores of the summed statistics of its articles,
which is what sacreBLEU's corpus_score gives on all the articles' segments
concatenated.  This script writes what sacreBLEU says, so the Rust tests can
check tqscore's set report without Python:

1. "fixtures": the article fixtures (fixtures/align/*, fixtures/seed), each
   laid out by its gold alignment (gold.txt) with the headline document rule
   (scripts/oracle.py, document_units): runs of beads sharing a reference
   paragraph as one segment each, omitted reference sentences in their
   paragraph's unit, additions inside the body in the unit they fall in or
   against an empty reference; all articles concatenated in the order of
   CASES.  corpus_score of BLEU, chrF and TER (defaults), with and without
   quote folding.
2. "realmt": WMT22 ru-en, system Online-B: every document (lines grouped by
   docids.txt, in file order) as one article, its gold segments being its
   line pairs (NFC-normalised, no folding).  Per document: sacreBLEU's
   sufficient statistics of BLEU (sys_len, ref_len, counts, totals), chrF
   (per order: hyp, ref, match) and TER (edits, ref_length); and the
   corpus_score of all documents' lines concatenated.

Usage (from the repository root, with sacrebleu==2.6.0 installed):

    python scripts/oracle_sets.py --realmt ../shared/data/realmt --out fixtures/oracle/sets.json

Deterministic: sorted keys, no timestamps; floats are repr() (round-trip).
Run time: a few seconds.
"""

import argparse
import json
import os
import sys

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle import document_units, normalize_text, read_gold  # noqa: E402

CASES = ["fixtures/align/battery-plant", "fixtures/align/council-budget", "fixtures/align/cup-final",
         "fixtures/align/glacier-study", "fixtures/align/river-compact", "fixtures/seed"]
REALMT_SET, REALMT_SYSTEM = "wmt22.ru-en", "Online-B"


def scores(hyps, refs):
    out = {}
    for key, metric in (("bleu", BLEU()), ("chrf", CHRF()), ("ter", TER())):
        s = metric.corpus_score(hyps, [refs])
        out[key] = {"score": s.score, "printed": f"{s.score:.2f}"}
    return out


def whole_segments(case_dir, fold):
    """The headline document rule's units on a gold alignment (as scripts/oracle.py)."""
    refs, hyps = document_units(case_dir, read_gold(os.path.join(case_dir, "gold.txt")), fold)
    return hyps, refs


def fixtures():
    out = {"cases": [os.path.basename(c) for c in CASES]}
    for fold in (True, False):
        hyps, refs = [], []
        for case in CASES:
            h, r = whole_segments(case, fold)
            hyps += h
            refs += r
        out["fold" if fold else "nofold"] = scores(hyps, refs)
    return out


def read_lines(path):
    with open(path, encoding="utf-8", newline="\n") as fh:
        return [normalize_text(line.rstrip(), False) for line in fh]


def realmt(realmt_dir):
    base = os.path.join(realmt_dir, REALMT_SET)
    ids = read_lines(base + ".docids.txt")
    refs = read_lines(base + ".ref.txt")
    hyps = read_lines(base + f".sys.{REALMT_SYSTEM}.txt")
    documents = []
    for i, doc in enumerate(ids):
        if not documents or documents[-1]["id"] != doc:
            documents.append({"id": doc, "lines": []})
        documents[-1]["lines"].append(i)
    for d in documents:
        h, r = [hyps[i] for i in d["lines"]], [refs[i] for i in d["lines"]]
        b = BLEU().corpus_score(h, [r])
        c_stats = CHRF()._extract_corpus_statistics(h, [r])
        chrf_sum = [sum(col) for col in zip(*c_stats)]
        t_stats = TER()._extract_corpus_statistics(h, [r])
        d["bleu"] = [b.sys_len, b.ref_len] + list(b.counts) + list(b.totals)
        d["chrf"] = [int(x) for x in chrf_sum]
        d["ter"] = [int(sum(s[0] for s in t_stats)), int(sum(s[1] for s in t_stats))]
        d["lines"] = [d["lines"][0], len(d["lines"])]
    return {"set": REALMT_SET, "system": REALMT_SYSTEM, "documents": documents, "corpus": scores(hyps, refs)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--realmt", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if sacrebleu.__version__ != "2.6.0":
        sys.exit(f"sacrebleu {sacrebleu.__version__} found; the oracle needs 2.6.0")
    data = {"sacrebleu_version": sacrebleu.__version__, "generator": "scripts/oracle_sets.py",
            "format": "see the script's docstring; documents[].lines = [first line, line count]; "
                      "bleu = [sys_len, ref_len, counts x4, totals x4], chrf = per order [hyp, ref, match], "
                      "ter = [edits, ref_length]",
            "fixtures": fixtures(), "realmt": realmt(args.realmt)}
    with open(args.out, "w", encoding="ascii") as fh:
        json.dump(data, fh, sort_keys=True, indent=1)
        fh.write("\n")
    print(f"wrote {args.out}: {len(data['realmt']['documents'])} realmt documents")


if __name__ == "__main__":
    main()
