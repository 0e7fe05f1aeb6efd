#!/usr/bin/env bash
# sacreBLEU 2.6.0's TER significance tables, as its command line prints them,
# for tests/significance_parity.rs (fixtures/oracle/ter-significance/).
# Usage: scripts/oracle_ter_significance.sh [REALMT_DIR]   (needs `sacrebleu` 2.6.0 on PATH,
# e.g. from target/oracle-venv made by scripts/oracle.sh; about 45 s).
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/fixtures/oracle/ter-significance"
cd "${1:-$(dirname "$0")/../../shared/data/realmt}"
[ "$(sacrebleu --version)" = "sacrebleu 2.6.0" ] || { echo "need sacrebleu 2.6.0 on PATH" >&2; exit 1; }
systems=(wmt22.ru-en.sys.ALMAnaCH-Inria.txt wmt22.ru-en.sys.HuaweiTSC.txt wmt22.ru-en.sys.JDExploreAcademy.txt)
mkdir -p "$out"
sacrebleu wmt22.ru-en.ref.txt -i "${systems[@]}" -m ter --paired-bs -f text > "$out/paired-bs.txt"
sacrebleu wmt22.ru-en.ref.txt -i "${systems[@]}" -m ter --paired-ar -f text > "$out/paired-ar.txt"
sacrebleu wmt22.ru-en.ref.txt -i "${systems[0]}" -m ter --confidence -f text > "$out/confidence.txt"
