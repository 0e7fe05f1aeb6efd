#!/usr/bin/env python3
"""Deterministic benchmark inputs for scripts/bench.sh (standard library only).

  corpus.hyp.txt / corpus.ref.txt  200,000 lines: every realmt system file with
                                   its primary reference, in sorted order,
                                   repeated until 200,000 lines.
  article.ref.txt / article.cand.txt  a 5,000-sentence article pair: reference
                                   sentences of wmt23.ru-en grouped into
                                   paragraphs of 4 lines, and the ONLINE-B
                                   system's renderings of the same lines, with
                                   a site header, a headline, one boilerplate
                                   line every 40 paragraphs and a footer.
"""
import glob
import os
import sys


def lines(path):
    with open(path, encoding="utf-8", newline="\n") as fh:
        return fh.read().split("\n")[:-1]


def main(realmt, out):
    os.makedirs(out, exist_ok=True)
    pairs = []
    for sys_file in sorted(glob.glob(os.path.join(realmt, "*.sys.*.txt"))):
        prefix = sys_file.split(".sys.")[0]
        pairs.append((sys_file, prefix + ".ref.txt"))
    hyp, ref = [], []
    i = 0
    while len(hyp) < 200_000:
        s, r = pairs[i % len(pairs)]
        hyp += lines(s)
        ref += lines(r)
        i += 1
    for name, data in (("corpus.hyp.txt", hyp), ("corpus.ref.txt", ref)):
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\n".join(data[:200_000]) + "\n")

    ref_lines, cand_lines = [], []
    sources = [("wmt23.ru-en", "ONLINE-B"), ("wmt22.ru-en", "Online-B"), ("wmt21.ru-en", "Online-B")]
    for test_set, system in sources:
        ref_lines += lines(os.path.join(realmt, f"{test_set}.ref.txt"))
        cand_lines += lines(os.path.join(realmt, f"{test_set}.sys.{system}.txt"))
    ref_lines, cand_lines = ref_lines[:5000], cand_lines[:5000]
    ref_par, cand_par = [], ["World News Daily", "Headline: talks continue as leaders meet"]
    for k in range(0, 5000, 4):
        ref_par.append(" ".join(ref_lines[k:k + 4]))
        cand_par.append(" ".join(cand_lines[k:k + 4]))
        if (k // 4) % 40 == 39:
            cand_par.append("Subscribe to our newsletter")
    cand_par += ["Related Articles", "Leave a Reply"]
    for name, data in (("article.ref.txt", ref_par), ("article.cand.txt", cand_par)):
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\n\n".join(data) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
