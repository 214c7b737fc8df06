#!/usr/bin/env bash
# The wheel stands alone: install verifythm from its wheel into a fresh venv outside the
# checkout, then check a few claims and reproduce an erratum by claim id (its instance ships
# inside the wheel).  No file of the repository is visible from the working directory used.
#
# usage: wheel_check.sh PYTHON WHEEL_DIR
set -euo pipefail

if [ "$#" -ne 2 ]; then
    echo "usage: $0 PYTHON WHEEL_DIR" >&2
    exit 2
fi
PYTHON=$1
WHEEL_DIR=$(cd "$2" && pwd)
shopt -s nullglob
wheels=("$WHEEL_DIR"/verifythm-*.whl)
shopt -u nullglob
if [ "${#wheels[@]}" -ne 1 ]; then
    echo "wheel_check: expected exactly one verifythm-*.whl in $WHEEL_DIR, found ${#wheels[@]}" >&2
    exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/verifythm_wheel.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q "${wheels[0]}"
cd "$WORK"
VT="$WORK/venv/bin/verifythm"

set -x
"$VT" list | tail -n 1
# the catalogue is namespaced: nothing called `theorems` is installed
if "$WORK/venv/bin/python" -c "import theorems" 2>/dev/null; then
    echo "wheel_check: a top-level 'theorems' package is importable from the wheel" >&2
    exit 1
fi
"$VT" check wu2022.thm3_3 dexter2024.thm1 wang2023.lemma_e5 --report-dir "$WORK/reports" -q
# an erratum re-checked from the wheel alone: exit 1 means "the counterexample reproduces"
rc=0
"$VT" reproduce wang2023.lemma_e5 > "$WORK/reproduce.txt" || rc=$?
cat "$WORK/reproduce.txt"
set +x
if [ "$rc" -ne 1 ] || ! grep -q "VIOLATED: the counterexample reproduces" "$WORK/reproduce.txt"; then
    echo "wheel_check: the erratum did not reproduce from the wheel (exit $rc)" >&2
    exit 1
fi
echo "wheel_check: ok"
