#!/usr/bin/env bash
# Benchmark tqscore against sacreBLEU 2.6.0 on the same files and write docs/performance.md.
#
#   bash scripts/bench.sh            # full run (about 10 minutes on 2 cores)
#   RUNS=3 SACRE_RUNS=1 bash scripts/bench.sh
#
# Installs sacreBLEU 2.6.0 in a virtual environment (target/bench-venv), builds
# tqscore in release mode, generates deterministic inputs (scripts/bench_data.py)
# from ../shared/data/realmt, times whole processes (median of RUNS for tqscore
# and wc, SACRE_RUNS for sacreBLEU) and reads peak memory from /usr/bin/time -v.
# Timings are never asserted in tests; this script only measures and reports.
set -euo pipefail
cd "$(dirname "$0")/.."
REALMT_DIR=${REALMT_DIR:-../shared/data/realmt}
RUNS=${RUNS:-5}
SACRE_RUNS=${SACRE_RUNS:-1}
VENV=${BENCH_VENV:-target/bench-venv}
DATA=target/bench-data
OUT=${BENCH_OUT:-docs/performance.md}

command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
if [ ! -x "$VENV/bin/sacrebleu" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r scripts/oracle-requirements.txt
fi
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
cargo build --release --locked -q
python3 scripts/bench_data.py "$REALMT_DIR" "$DATA"
TQ=target/release/tqscore
SB="$VENV/bin/sacrebleu"
SYS="$REALMT_DIR/wmt21.ru-en.sys.Online-B.txt"
REF="$REALMT_DIR/wmt21.ru-en.ref.txt"

# measure NAME RUNS CMD...: prints "NAME|median wall s|min wall|max wall|median CPU s (user+sys)|peak MB|output first line"
measure() {
  local name=$1 runs=$2; shift 2
  local walls=() cpus=() peak=0 first=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -v -o target/bench-time.txt "$@" > target/bench-out.txt 2>/dev/null || true
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2,a,":"); if (length(a)==3) print a[1]*3600+a[2]*60+a[3]; else print a[1]*60+a[2]}' target/bench-time.txt)")
    cpus+=("$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' target/bench-time.txt)")
    local kb; kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' target/bench-time.txt)
    [ "$kb" -gt "$peak" ] && peak=$kb
    first=$(head -c 200 target/bench-out.txt | head -1)
  done
  median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
  local wall cpu lo hi
  wall=$(printf '%s\n' "${walls[@]}" | median)
  cpu=$(printf '%s\n' "${cpus[@]}" | median)
  lo=$(printf '%s\n' "${walls[@]}" | sort -g | head -1)
  hi=$(printf '%s\n' "${walls[@]}" | sort -g | tail -1)
  printf '%s|%.3f|%.3f|%.3f|%.3f|%.1f|%s\n' "$name" "$wall" "$lo" "$hi" "$cpu" "$(awk -v k="$peak" 'BEGIN {print k/1024}')" "$first"
}

results=target/bench-results.txt
: > "$results"
{
  measure "wc -w, 200k corpus (both files)" "$RUNS" wc -w "$DATA/corpus.hyp.txt" "$DATA/corpus.ref.txt"
  measure "tqscore BLEU, 200k corpus" "$RUNS" "$TQ" corpus -r "$DATA/corpus.ref.txt" -c "$DATA/corpus.hyp.txt" -m bleu --force
  measure "sacreBLEU BLEU, 200k corpus" "$SACRE_RUNS" "$SB" "$DATA/corpus.ref.txt" -i "$DATA/corpus.hyp.txt" -m bleu -b -w 2 --force
  measure "tqscore chrF, 200k corpus" "$RUNS" "$TQ" corpus -r "$DATA/corpus.ref.txt" -c "$DATA/corpus.hyp.txt" -m chrf
  measure "sacreBLEU chrF, 200k corpus" "$SACRE_RUNS" "$SB" "$DATA/corpus.ref.txt" -i "$DATA/corpus.hyp.txt" -m chrf -b -w 2
  measure "tqscore BLEU, one system (1,000 lines)" "$RUNS" "$TQ" corpus -r "$REF" -c "$SYS" -m bleu
  measure "sacreBLEU BLEU, one system (1,000 lines)" "$RUNS" "$SB" "$REF" -i "$SYS" -m bleu -b -w 2
  measure "tqscore chrF, one system (1,000 lines)" "$RUNS" "$TQ" corpus -r "$REF" -c "$SYS" -m chrf
  measure "sacreBLEU chrF, one system (1,000 lines)" "$RUNS" "$SB" "$REF" -i "$SYS" -m chrf -b -w 2
  measure "tqscore score, seed pair" "$RUNS" "$TQ" score fixtures/seed/reference.txt fixtures/seed/candidate.txt --format json
  measure "tqscore score, 5,000-sentence article pair" "$RUNS" "$TQ" score "$DATA/article.ref.txt" "$DATA/article.cand.txt" --format json
  ZH_SYS="$REALMT_DIR/wmt21.zh-en.sys.Online-W.txt"
  ZH_REF="$REALMT_DIR/wmt21.zh-en.ref.txt"
  measure "tqscore TER, one wmt21 zh-en system (1,948 lines)" "$RUNS" "$TQ" corpus -r "$ZH_REF" -c "$ZH_SYS" -m ter
  measure "sacreBLEU TER, one wmt21 zh-en system (1,948 lines)" "$SACRE_RUNS" "$SB" "$ZH_REF" -i "$ZH_SYS" -m ter -b -w 2
  measure "tqscore TER, 200k corpus" "$SACRE_RUNS" "$TQ" corpus -r "$DATA/corpus.ref.txt" -c "$DATA/corpus.hyp.txt" -m ter
} | tee "$results"

# Article scaling (issue: linear at any sentence-count mismatch): time per sentence should stay flat.
scaling=target/bench-scaling.txt
: > "$scaling"
{
  for n in 500 5000 50000 200000; do
    runs=$RUNS; [ "$n" -ge 50000 ] && runs=$SACRE_RUNS
    measure "$n" "$runs" "$TQ" score "$DATA/scale-$n.ref.txt" "$DATA/scale-$n.cand.txt" --format json --bootstrap 0
  done
  measure "pathological: 'a' x 100,000 vs 'b' x 50,000" "$SACRE_RUNS" "$TQ" score "$DATA/patho-a.txt" "$DATA/patho-b.txt" --format json --bootstrap 0
} | tee "$scaling"

# Test sets (issue 14): 1,000 real document pairs in one run, in 1,000 runs, and concatenated into one pair.
testset=target/bench-testset.txt
: > "$testset"
{
  measure "one run over 1,000 pairs (--pairs)" "$RUNS" "$TQ" score --pairs "$DATA/set/pairs.tsv" --format json
  measure "1,000 runs, one per pair" "$SACRE_RUNS" bash -c 'while IFS=$'"'"'\t'"'"' read -r r c id; do "$0" score "$1/$r" "$1/$c" --format json > /dev/null || exit 2; done < "$1/pairs.tsv"' "$TQ" "$DATA/set"
  measure "one run over the 1,000 documents concatenated" "$RUNS" "$TQ" score "$DATA/set-concat.ref.txt" "$DATA/set-concat.cand.txt" --format json
} | tee "$testset"

{
  echo "# Performance"
  echo
  echo "Measured by \`bash scripts/bench.sh\` on $(date -u +%Y-%m-%d): $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo),"
  echo "$(free -g | awk '/Mem:/ {print $2}') GiB; $("$TQ" --version), sacreBLEU $("$SB" --version 2>&1 | awk '{print $NF}'), Python $(python3 --version | awk '{print $2}')."
  echo "Whole processes, wall-clock median of $RUNS runs ($SACRE_RUNS for sacreBLEU, the 200k TER run and the largest article pairs), with the min–max spread and the median CPU time (user+sys); peak RSS from \`/usr/bin/time -v\`."
  echo "Load average when the run started: $LOAD_AT_START (1, 5, 15 min)."
  echo "Inputs are generated by \`scripts/bench_data.py\` from the realmt data (200,000 lines, about 32 MB per side)."
  echo
  echo "| what | median wall s | min–max wall s | median CPU s | peak MB | first line of output |"
  echo "|---|---:|---:|---:|---:|---|"
  while IFS='|' read -r name secs lo hi cpu mb first; do
    echo "| $name | $secs | $lo–$hi | $cpu | $mb | \`${first//|/\\|}\` |"
  done < "$results"
  echo
  awk -F'|' '
    /^tqscore BLEU, 200k/ {tb=$2} /^sacreBLEU BLEU, 200k/ {sb=$2}
    /^tqscore chrF, 200k/ {tc=$2} /^sacreBLEU chrF, 200k/ {sc=$2} /^wc -w/ {wc=$2}
    END {
      printf "Speed-up on the 200k corpus: BLEU %.0fx, chrF %.0fx; tqscore BLEU takes %.1fx the time of `wc -w` over the same files.\n", sb/tb, sc/tc, tb/wc
    }' "$results"
  awk -F'|' '/^tqscore TER, one/ {t=$2} /^sacreBLEU TER, one/ {s=$2} END {if (t > 0) printf "TER on the wmt21 zh-en system: %.0fx sacreBLEU (wall).\n", s/t}' "$results"
  echo
  echo "## Article pairs at scale"
  echo
  echo "\`tqscore score\` on pairs of N reference lines (wmt21–23 ru-en references with each system's lines in turn, the"
  echo "same mix at every size) against the candidate in paragraphs of 3 segments, ~3% of segments dropped and a"
  echo "boilerplate line after ~2% (\`scripts/bench_data.py\`); BLEU, chrF, TER, names, \`--bootstrap 0\`."
  echo
  echo "| reference sentences | median wall s | min–max wall s | median CPU s | CPU µs per sentence | peak MB |"
  echo "|---:|---:|---:|---:|---:|---:|"
  while IFS='|' read -r name secs lo hi cpu mb first; do
    per=$(awk -v c="$cpu" -v n="$name" 'BEGIN {if (n+0 > 0) printf "%.0f", 1e6*c/n; else print "–"}')
    echo "| $name | $secs | $lo–$hi | $cpu | $per | $mb |"
  done < "$scaling"
  echo
  echo "## Test sets"
  echo
  echo "1,000 real document pairs (WMT21–23 ru-en documents, lines grouped by \`docids.txt\`, each with one system's"
  echo "lines, cycling through the systems; 10,568 reference lines in all; \`scripts/bench_data.py\`), default options"
  echo "(bootstrap 1,000), JSON report: in one \`--pairs\` run, in 1,000 separate runs, and as one article pair of all"
  echo "1,000 documents concatenated (the same text, one alignment)."
  echo
  echo "| what | median wall s | min–max wall s | median CPU s | peak MB |"
  echo "|---|---:|---:|---:|---:|"
  while IFS='|' read -r name secs lo hi cpu mb first; do
    echo "| $name | $secs | $lo–$hi | $cpu | $mb |"
  done < "$testset"
  echo
  awk -F'|' 'NR==1 {set=$2; setc=$5} NR==2 {runs=$2} NR==3 {cat=$2; catc=$5}
    END {printf "One run is %.1fx faster than 1,000 runs (wall); it takes %.2fx the wall time (%.2fx the CPU time) of the concatenated pair.\n", runs/set, set/cat, setc/catc}' "$testset"
  echo
  if [ -f docs/performance-notes.md ]; then cat docs/performance-notes.md; fi
} > "$OUT"
echo "wrote $OUT"
