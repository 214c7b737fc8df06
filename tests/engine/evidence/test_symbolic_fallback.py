"""The symbolic engine's rational fallback says so, and still catches false identities."""

import importlib.util

import pytest
import sympy as sp
from support import REPO_ROOT

import verifythm.evidence.symbolic as sym
from verifythm import Claim, Context, Identity, Source, Status, SymbolicCheck
from verifythm.runner import run_claim

ROOT = REPO_ROOT


def _claim(build):
    return Claim(
        id="test.fallback",
        title="t",
        source=Source("wu2022alignment", "Lemma G.1"),
        statement="s",
        checks=(SymbolicCheck("symbolic", build),),
        kind="identity",
    )


def test_fallback_is_reported_as_not_a_proof(monkeypatch):
    monkeypatch.setattr(sym, "_is_zero", lambda expr: None)  # pretend sympy cannot close it
    x, y = sp.symbols("x y", real=True)
    res = run_claim(_claim(lambda: [Identity((x + y) ** 2, x**2 + 2 * x * y + y**2, "square")]), Context())
    (check,) = res.checks
    assert check.status is Status.VERIFIED
    assert "not a proof" in check.note and "NOT PROVED symbolically" in check.note


def test_fallback_finds_false_identity(monkeypatch):
    monkeypatch.setattr(sym, "_is_zero", lambda expr: None)
    x, y = sp.symbols("x y", real=True)
    res = run_claim(_claim(lambda: [Identity((x + y) ** 2, x**2 + y**2, "false square")]), Context())
    (check,) = res.checks
    assert check.status is Status.COUNTEREXAMPLE
    assert "exact rational point" in check.violation.description


# loaded from outside the catalogue's packages, as a user's copy would be; it draws with the
# current strategy vocabulary, so it must not warn (a DeprecationWarning fails the test)
@pytest.mark.filterwarnings("error::DeprecationWarning")
def test_template_module_runs_and_is_verified():
    spec = importlib.util.spec_from_file_location("vt_template", ROOT / "theorems" / "_template.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert run_claim(mod.CLAIM, Context()).status is Status.VERIFIED
