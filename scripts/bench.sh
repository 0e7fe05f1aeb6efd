#!/usr/bin/env bash
# Benchmark tqscore against sacreBLEU 2.6.0 on the same files and write docs/performance.md.
#
#   bash scripts/bench.sh            # full run (about 25 minutes on 2 cores)
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
# The release code with line tables (Cargo.toml's `profiling` profile), so that callgrind can name functions.
cargo build --profile profiling --locked -q
python3 scripts/bench_data.py "$REALMT_DIR" "$DATA"
TQ=target/profiling/tqscore
SB="$VENV/bin/sacrebleu"
SYS="$REALMT_DIR/wmt21.ru-en.sys.Online-B.txt"
REF="$REALMT_DIR/wmt21.ru-en.ref.txt"

# run_once KEY CMD...: one timed run of CMD; appends "wall cpu peak_kb" to target/bench-runs/KEY
# and keeps the first line of its output in target/bench-runs/KEY.first.
# Wall time from bash's microsecond clock (/usr/bin/time prints it to 10 ms only); CPU time
# and peak memory from /usr/bin/time -v.
run_once() {
  local key=$1; shift
  local start=$EPOCHREALTIME
  /usr/bin/time -v -o target/bench-time.txt "$@" > target/bench-out.txt 2>/dev/null || true
  local end=$EPOCHREALTIME
  awk -F': ' -v start="$start" -v end="$end" '
    /User time/ {u=$2} /System time/ {s=$2} /Maximum resident set size/ {k=$2}
    END {print end - start, u+s, k}' target/bench-time.txt >> "target/bench-runs/$key"
  # The first line, at most 200 bytes, without a character cut in half (bash's `read` stops at one).
  head -c 200 target/bench-out.txt | head -1 | { iconv -f UTF-8 -t UTF-8 -c 2>/dev/null || true; } > "target/bench-runs/$key.first"
}

# summary NAME KEY: "NAME|median wall s|min wall|max wall|median CPU s (user+sys)|peak MB|output first line"
summary() {
  local name=$1 key=$2
  median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
  local wall cpu lo hi peak
  wall=$(awk '{print $1}' "target/bench-runs/$key" | median)
  cpu=$(awk '{print $2}' "target/bench-runs/$key" | median)
  lo=$(awk '{print $1}' "target/bench-runs/$key" | sort -g | head -1)
  hi=$(awk '{print $1}' "target/bench-runs/$key" | sort -g | tail -1)
  peak=$(awk '$3 > m {m=$3} END {print m/1024}' "target/bench-runs/$key")
  printf '%s|%.3f|%.3f|%.3f|%.3f|%.1f|%s\n' "$name" "$wall" "$lo" "$hi" "$cpu" "$peak" "$(cat "target/bench-runs/$key.first")"
}

# measure NAME RUNS CMD...: RUNS timed runs of CMD, summarised.
measure() {
  local name=$1 runs=$2; shift 2
  local key; key=$(printf '%s' "$name" | md5sum | cut -c1-12)
  rm -f "target/bench-runs/$key"
  for _ in $(seq "$runs"); do run_once "$key" "$@"; done
  summary "$name" "$key"
}

rm -rf target/bench-runs && mkdir -p target/bench-runs
C_REF="$DATA/corpus.ref.txt"
C_HYP="$DATA/corpus.hyp.txt"
results=target/bench-results.txt
: > "$results"
{
  # tqscore and `wc -w` alternate, so that both see the same load.
  for _ in $(seq "$RUNS"); do
    run_once wc wc -w "$C_HYP" "$C_REF"
    run_once bleu "$TQ" corpus -r "$C_REF" -c "$C_HYP" -m bleu --force
    run_once chrf "$TQ" corpus -r "$C_REF" -c "$C_HYP" -m chrf
    run_once chrfpp "$TQ" corpus -r "$C_REF" -c "$C_HYP" -m chrf++
    run_once all3 "$TQ" corpus -r "$C_REF" -c "$C_HYP" -m bleu,chrf,chrf++ --force
  done
  summary "wc -w, 200k corpus (both files)" wc
  summary "tqscore BLEU, 200k corpus" bleu
  measure "sacreBLEU BLEU, 200k corpus" "$SACRE_RUNS" "$SB" "$C_REF" -i "$C_HYP" -m bleu -b -w 2 --force
  summary "tqscore chrF, 200k corpus" chrf
  measure "sacreBLEU chrF, 200k corpus" "$SACRE_RUNS" "$SB" "$C_REF" -i "$C_HYP" -m chrf -b -w 2
  summary "tqscore chrF++, 200k corpus" chrfpp
  measure "sacreBLEU chrF++, 200k corpus" "$SACRE_RUNS" "$SB" "$C_REF" -i "$C_HYP" -m chrf --chrf-word-order 2 -b -w 2
  summary "tqscore BLEU+chrF+chrF++, 200k corpus" all3
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
  measure "tqscore TER, 200k corpus" "$SACRE_RUNS" "$TQ" corpus -r "$C_REF" -c "$C_HYP" -m ter
} | tee "$results"

# Instruction counts (repeatable on a shared machine): one thread, the first 20,000 lines.
counts=target/bench-counts.txt
: > "$counts"
if command -v valgrind >/dev/null; then
  bytes=$(cat "$DATA/corpus-20k.hyp.txt" "$DATA/corpus-20k.ref.txt" | wc -c)
  for m in bleu chrf chrf++ bleu,chrf,chrf++; do
    valgrind --tool=callgrind --callgrind-out-file=target/bench-callgrind.out \
      "$TQ" corpus -r "$DATA/corpus-20k.ref.txt" -c "$DATA/corpus-20k.hyp.txt" -m "$m" --threads 1 --force \
      > /dev/null 2> target/bench-callgrind.log
    ir=$(awk '/Collected :/ {print $NF}' target/bench-callgrind.log)
    echo "$m|$ir|$bytes" | tee -a "$counts"
  done
fi

# Paired significance (issue 15): four wmt22 ru-en systems, the first as the baseline.
significance=target/bench-significance.txt
: > "$significance"
SIG_SYS=("$DATA"/sig.sys-{1,2,3,4}.txt)
{
  for test in paired-bs paired-ar; do
    measure "tqscore BLEU+chrF --$test" "$RUNS" "$TQ" corpus -r "$DATA/sig.ref.txt" -c "${SIG_SYS[@]}" -m bleu,chrf --$test
    measure "sacreBLEU BLEU+chrF --$test" "$SACRE_RUNS" "$SB" "$DATA/sig.ref.txt" -i "${SIG_SYS[@]}" -m bleu chrf --$test -f text
  done
} | tee "$significance"

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
  echo "Inputs are generated by \`scripts/bench_data.py\` from the realmt data: the corpus is the wmt22 de-en, ru-en and zh-en"
  echo "Online-B outputs with their references, repeated to 200,000 lines (about 23 MB a side). tqscore's five corpus runs"
  echo "and \`wc -w\` alternate, so that they see the same load."
  echo
  echo "| what | median wall s | min–max wall s | median CPU s | peak MB | first line of output |"
  echo "|---|---:|---:|---:|---:|---|"
  while IFS='|' read -r name secs lo hi cpu mb first; do
    echo "| $name | $secs | $lo–$hi | $cpu | $mb | \`${first//|/\\|}\` |"
  done < "$results"
  echo
  awk -F'|' '
    /^tqscore BLEU, 200k/ {tb=$2} /^sacreBLEU BLEU, 200k/ {sb=$2}
    /^tqscore chrF, 200k/ {tc=$2} /^sacreBLEU chrF, 200k/ {sc=$2}
    /^tqscore chrF\+\+, 200k/ {tp=$2; tpc=$5} /^sacreBLEU chrF\+\+, 200k/ {sp=$2}
    /^tqscore BLEU\+chrF\+chrF\+\+, 200k/ {ta=$2; tac=$5} /^wc -w/ {wc=$2}
    END {
      printf "Speed-up on the 200k corpus (wall): BLEU %.0fx, chrF %.0fx, chrF++ %.0fx sacreBLEU; tqscore BLEU takes %.2fx the time of `wc -w` over the same files; BLEU+chrF+chrF++ in one run costs %.2fx the CPU time of chrF++ alone.\n", sb/tb, sc/tc, sp/tp, tb/wc, tac/tpc
    }' "$results"
  awk -F'|' '/^tqscore TER, one/ {t=$2} /^sacreBLEU TER, one/ {s=$2} END {if (t > 0) printf "TER on the wmt21 zh-en system: %.0fx sacreBLEU (wall).\n", s/t}' "$results"
  if [ -s "$counts" ]; then
    echo
    echo "Instructions (\`valgrind --tool=callgrind\`, \`--threads 1\`) on the first 20,000 lines of the corpus, both files:"
    echo
    echo "| metrics | instructions | per input byte |"
    echo "|---|---:|---:|"
    awk -F'|' '{printf "| %s | %.0f M | %.0f |\n", $1, $2/1e6, $2/$3}' "$counts"
  fi
  echo
  echo "## Paired significance"
  echo
  echo "Four wmt22 ru-en systems (2,016 lines each; the first in sorted order is the baseline), BLEU and chrF,"
  echo "\`--paired-bs\` (1,000 resamples) and \`--paired-ar\` (10,000 trials); sacreBLEU with \`-f text\` (its JSON output"
  echo "fails on chrF's float32 p-values)."
  echo
  echo "| what | median wall s | min–max wall s | median CPU s | peak MB |"
  echo "|---|---:|---:|---:|---:|"
  while IFS='|' read -r name secs lo hi cpu mb first; do
    echo "| $name | $secs | $lo–$hi | $cpu | $mb |"
  done < "$significance"
  echo
  awk -F'|' '/^tqscore.*paired-bs/ {tb=$2; tbc=$5} /^sacreBLEU.*paired-bs/ {sb=$2; sbc=$5}
    /^tqscore.*paired-ar/ {ta=$2; tac=$5} /^sacreBLEU.*paired-ar/ {sa=$2; sac=$5}
    END {printf "tqscore is %.0fx faster with --paired-bs and %.0fx with --paired-ar (wall; %.0fx and %.0fx in CPU time).\n", sb/tb, sa/ta, sbc/tbc, sac/tac}' "$significance"
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
