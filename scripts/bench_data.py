#!/usr/bin/env python3
"""Deterministic benchmark inputs for scripts/bench.sh (standard library only).

  corpus.hyp.txt / corpus.ref.txt  200,000 lines: the wmt22 de-en, ru-en and
                                   zh-en Online-B outputs with their primary
                                   references, in that order, repeated until
                                   200,000 lines (about 23 MB a side).
  corpus-20k.hyp.txt / .ref.txt    its first 20,000 lines (instruction counts).
  mix.hyp.txt / mix.ref.txt        200,000 lines: every realmt system file with
                                   its primary reference, in sorted order,
                                   repeated (the TER comparison in
                                   docs/performance-notes.md samples it).
  sig.ref.txt, sig.sys-N.txt       wmt22 ru-en: the reference and its first
                                   four systems in sorted order (significance).
  article.ref.txt / article.cand.txt  a 5,000-sentence article pair: reference
                                   sentences of wmt23.ru-en grouped into
                                   paragraphs of 4 lines, and the ONLINE-B
                                   system's renderings of the same lines, with
                                   a site header, a headline, one boilerplate
                                   line every 40 paragraphs and a footer.
  scale-N.ref.txt / scale-N.cand.txt  for N in 500, 5,000, 50,000, 200,000: a
                                   pair of N reference lines (one segment per
                                   line) drawn from the wmt21-23 ru-en
                                   references with each system's renderings in
                                   turn (the same mix at every size), the
                                   candidate in paragraphs of 3 segments with
                                   ~3% of segments dropped and a boilerplate
                                   line inserted after ~2% of them.
  patho-a.txt / patho-b.txt        'a' x 100,000 lines against 'b' x 50,000
                                   lines (300 KB that once asked for 80 GB).
  set/NNNN.ref.txt, .cand.txt      a test set of 1,000 real document pairs:
  set/pairs.tsv                    WMT21-23 ru-en documents (lines grouped by
                                   docids.txt), each with one system's lines,
                                   cycling through the systems of each test set
                                   in sorted order; one segment per line.
  set-concat.ref.txt / .cand.txt   the same 1,000 documents as one article pair
                                   (documents separated by a blank line).
"""
import glob
import os
import random
import sys

SCALES = (500, 5_000, 50_000, 200_000)


def lines(path):
    with open(path, encoding="utf-8", newline="\n") as fh:
        return fh.read().split("\n")[:-1]


def write_cycled(out, prefix, pairs, n):
    """PREFIX.hyp.txt / PREFIX.ref.txt: the (system, reference) files of `pairs`
    in turn, repeated until there are `n` lines."""
    hyp, ref = [], []
    i = 0
    while len(hyp) < n:
        s, r = pairs[i % len(pairs)]
        hyp += lines(s)
        ref += lines(r)
        i += 1
    for side, data in (("hyp", hyp), ("ref", ref)):
        with open(os.path.join(out, f"{prefix}.{side}.txt"), "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\n".join(data[:n]) + "\n")


def main(realmt, out):
    os.makedirs(out, exist_ok=True)
    pairs = [
        (os.path.join(realmt, f"wmt22.{lp}.sys.Online-B.txt"), os.path.join(realmt, f"wmt22.{lp}.ref.txt"))
        for lp in ("de-en", "ru-en", "zh-en")
    ]
    for prefix, n in (("corpus", 200_000), ("corpus-20k", 20_000)):
        write_cycled(out, prefix, pairs, n)
    every = [(f, f.split(".sys.")[0] + ".ref.txt") for f in sorted(glob.glob(os.path.join(realmt, "*.sys.*.txt")))]
    write_cycled(out, "mix", every, 200_000)

    systems = sorted(glob.glob(os.path.join(realmt, "wmt22.ru-en.sys.*.txt")))[:4]
    copies = [(os.path.join(realmt, "wmt22.ru-en.ref.txt"), "sig.ref.txt")]
    copies += [(path, f"sig.sys-{n}.txt") for n, path in enumerate(systems, 1)]
    for path, name in copies:
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\n".join(lines(path)) + "\n")

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


def scaling(realmt, out):
    """The scaling pairs: ru-en reference lines with each system's lines, cycled."""
    stream = []
    for test_set in ("wmt21.ru-en", "wmt22.ru-en", "wmt23.ru-en"):
        ref = lines(os.path.join(realmt, f"{test_set}.ref.txt"))
        for sys_file in sorted(glob.glob(os.path.join(realmt, f"{test_set}.sys.*.txt"))):
            stream += [(r, h) for r, h in zip(ref, lines(sys_file)) if r.strip() and h.strip()]
    for n in SCALES:
        rng = random.Random(n)
        pairs = [stream[i % len(stream)] for i in range(n)]
        ref_lines = [r for r, _ in pairs]
        paragraphs, current = [], []
        for _, h in pairs:
            if rng.random() >= 0.03:
                current.append(h)
            if rng.random() < 0.02:
                current.append("Subscribe to our newsletter for the latest news.")
            if len(current) >= 3:
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
        for name, data in ((f"scale-{n}.ref.txt", ref_lines), (f"scale-{n}.cand.txt", paragraphs)):
            with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as fh:
                fh.write("\n".join(data) + "\n")
    for name, text in (("patho-a.txt", "a\n" * 100_000), ("patho-b.txt", "b\n" * 50_000)):
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)


def test_set(realmt, out, size=1000):
    """1,000 real document pairs, and the same documents concatenated."""
    documents, round_ = [], 0
    while len(documents) < size:
        for test_set in ("wmt21.ru-en", "wmt22.ru-en", "wmt23.ru-en"):
            ids = lines(os.path.join(realmt, f"{test_set}.docids.txt"))
            ref = lines(os.path.join(realmt, f"{test_set}.ref.txt"))
            systems = sorted(glob.glob(os.path.join(realmt, f"{test_set}.sys.*.txt")))
            hyps = {}
            spans = []
            for i, doc in enumerate(ids):
                if not spans or spans[-1][0] != doc:
                    spans.append((doc, i, i))
                spans[-1] = (doc, spans[-1][1], i + 1)
            for k, (doc, start, end) in enumerate(spans):
                system = systems[(k + round_) % len(systems)]
                hyp = hyps.setdefault(system, lines(system))
                name = os.path.basename(system).split(".sys.")[1][:-4]
                documents.append((f"{test_set}.{doc}.{name}", ref[start:end], hyp[start:end]))
        round_ += 1
    documents = documents[:size]
    folder = os.path.join(out, "set")
    os.makedirs(folder, exist_ok=True)
    listing = []
    for n, (doc, ref, hyp) in enumerate(documents):
        for side, data in (("ref", ref), ("cand", hyp)):
            with open(os.path.join(folder, f"{n:04d}.{side}.txt"), "w", encoding="utf-8", newline="\n") as fh:
                fh.write("\n".join(data) + "\n")
        listing.append(f"{n:04d}.ref.txt\t{n:04d}.cand.txt\t{doc}")
    with open(os.path.join(folder, "pairs.tsv"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(listing) + "\n")
    for side, index in (("ref", 1), ("cand", 2)):
        with open(os.path.join(out, f"set-concat.{side}.txt"), "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\n\n".join("\n".join(d[index]) for d in documents) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
    scaling(sys.argv[1], sys.argv[2])
    test_set(sys.argv[1], sys.argv[2])
