#!/usr/bin/env bash
# Regenerate the sacreBLEU 2.6.0 oracle fixtures (fixtures/oracle/*.json and
# the edge-case inputs in fixtures/edge/) with scripts/oracle.py.
#
# Creates (or reuses) a virtualenv with the pinned requirements from
# scripts/oracle-requirements.txt; needs python3 (>= 3.8, with venv) and
# access to PyPI.  Takes a few minutes (about 3.5 min on 2 vCPUs).
#
# Environment overrides:
#   ORACLE_VENV     virtualenv directory       (default: target/oracle-venv)
#   ORACLE_PYTHON   interpreter for the venv   (default: python3)
#   REALMT_DIR      real WMT data directory    (default: ../shared/data/realmt)
# Extra arguments are passed on to scripts/oracle.py (e.g. --jobs 4).
#
# Note: the fixtures were generated with CPython 3.11 (Unicode 14.0.0 tables for
# str.lower/str.split/str.isspace); oracle.py records the versions it ran with
# in each JSON file's "environment" key.
set -euo pipefail

# Work from the repository root, whatever the caller's directory.
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV="${ORACLE_VENV:-target/oracle-venv}"
PY="${ORACLE_PYTHON:-python3}"
REALMT="${REALMT_DIR:-../shared/data/realmt}"

if [ ! -d "$REALMT" ]; then
    echo "oracle.sh: realmt data not found at '$REALMT' (set REALMT_DIR)" >&2
    exit 1
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "oracle.sh: creating virtualenv $VENV" >&2
    "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r scripts/oracle-requirements.txt

start=$(date +%s)
"$VENV/bin/python" scripts/oracle.py \
    --realmt "$REALMT" \
    --out fixtures/oracle \
    --edge-dir fixtures/edge \
    "$@"
"$VENV/bin/python" scripts/oracle_significance.py --realmt "$REALMT" --out fixtures/oracle
echo "oracle.sh: done in $(( $(date +%s) - start )) s" >&2
