#!/usr/bin/env bash
# The lowest and highest supported Pythons (3.10, 3.13): a fresh venv each, the project
# installed from this checkout with its core dependencies only, then a quick slice of the
# tests and of the catalogue.  An interpreter that is not on this machine is reported and
# skipped (never silently): pyenv's versions are looked up, then pythonX.Y on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
    local v=$1 root
    root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
    for cand in "$root"/versions/"$v".*/bin/python3; do
        [ -x "$cand" ] && { echo "$cand"; return 0; }
    done
    command -v "python$v" 2>/dev/null || return 1
}

export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
status=0
for v in 3.10 3.13; do
    if ! py=$(find_python "$v"); then
        echo "multi_python: Python $v is not installed here: skipped"
        continue
    fi
    work=$(mktemp -d "${TMPDIR:-/tmp}/verifythm_py$v.XXXXXX")
    echo "multi_python: $("$py" --version) at $py"
    "$py" -m venv "$work/venv"
    # core dependencies, and pytest-xdist for the repository's `-n auto`
    "$work/venv/bin/python" -m pip install -q -e . pytest-xdist
    # a slice that needs no optional extra: the registry and CLI, the moment engine, one paper
    if ! "$work/venv/bin/python" -m pytest -q -p no:cacheprovider -x \
        tests/engine/cli/test_registry_cli.py tests/engine/dynamics/test_dynamics.py tests/engine/claims/test_claim_model.py theorems/dexter2024precise; then
        echo "multi_python: the quick slice FAILED on Python $v"
        status=1
    fi
    "$work/venv/bin/verifythm" check 'dexter2024.*' --report-dir "$work/reports" -q || status=1
    rm -rf "$work"
done
exit "$status"
