#!/usr/bin/env bash
# Install verifythm from a wheel into a fresh virtual environment, install this example
# (non-editable) and run its claims with plain `pytest`, exactly as an outside user would.
#
# usage: ci_check.sh PYTHON WHEEL_DIR
#   PYTHON     interpreter that creates the venv (e.g. python3.11)
#   WHEEL_DIR  folder holding verifythm-*.whl (python -m pip wheel --no-deps -w WHEEL_DIR <repo>)
#
# Prints the pytest output (its per-claim verdict table and summary line); exits non-zero when
# any step fails or pytest reports an unexpected verdict.  Nothing is written inside the repository.
set -euo pipefail

if [ "$#" -ne 2 ]; then
    echo "usage: $0 PYTHON WHEEL_DIR" >&2
    exit 2
fi
PYTHON=$1
WHEEL_DIR=$2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

shopt -s nullglob
wheels=("$WHEEL_DIR"/verifythm-*.whl)
shopt -u nullglob
if [ "${#wheels[@]}" -ne 1 ]; then
    echo "ci_check: expected exactly one verifythm-*.whl in $WHEEL_DIR, found ${#wheels[@]}" >&2
    exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sgd_wor_stability.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}

"$PYTHON" -m venv "$WORK/venv"
PY="$WORK/venv/bin/python"
"$PY" -m pip install -q "${wheels[0]}"

# a copy outside the repository: the project as a researcher would have it
mkdir "$WORK/project"
cp "$HERE/pyproject.toml" "$HERE/README.md" "$WORK/project/"
cp -r "$HERE/sgd_wor_stability" "$WORK/project/"
find "$WORK/project" -name __pycache__ -prune -exec rm -rf {} +
"$PY" -m pip install -q "$WORK/project"

cd "$WORK/project"
rc=0
"$WORK/venv/bin/pytest" -q || rc=$?
echo "ci_check: pytest exit status $rc"
exit "$rc"
