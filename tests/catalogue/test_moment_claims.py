"""The operator claims can fail: a wrong noise constant or a wrong formula is caught."""

from __future__ import annotations

import sympy as sp

from verifythm import Context, Status, default_registry
from verifythm.dynamics import moments, symbolic
from verifythm.runner import run_claim


def test_wrong_noise_constant_in_the_engine_is_a_counterexample(monkeypatch, tmp_path):
    # c = (n − B)/(Bn) instead of (n − B)/(B(n − 1)) for sampling without replacement
    real = moments.noise_constant

    def wrong(sampling, n, batch_size, *, exact=False):
        c = real(sampling, n, batch_size, exact=exact)
        if str(sampling) == "without-replacement" and n > 1:
            return c * (n - 1) / n
        return c

    monkeypatch.setattr(moments, "noise_constant", wrong)
    claim = default_registry().get("linsgd.moments.without_replacement")
    numeric = tuple(k for k in claim.checks if k.name in ("exact", "property"))
    res = run_claim(claim.variant(checks=numeric), Context(), report_dir=tmp_path)
    assert res.status is Status.COUNTEREXAMPLE


def test_symbolic_check_rejects_a_wrong_operator():
    # the with-replacement expectation does not equal the without-replacement operator (n=3, B=2)
    lhs_wr, _ = symbolic.second_moment_sides("with-replacement", 3, 2)
    _, rhs_wo = symbolic.second_moment_sides("without-replacement", 3, 2)
    assert sp.expand(lhs_wr - rhs_wo) != 0
    # and the Bernoulli identity fails if the constant 1/(nB) − 1/n² is replaced by 1/(nB)
    lhs, rhs = symbolic.second_moment_sides("bernoulli", 3, 2, general_w=False)
    eta = sp.Symbol("eta", positive=True)
    Hs = sp.symbols("H1:4", commutative=False)
    wrong = rhs + eta**2 * sp.Rational(1, 9) * sum(h * h for h in Hs)
    assert sp.expand(lhs - wrong) != 0


def test_dexter_base_case_literal_formula_mutation_is_caught(monkeypatch, tmp_path):
    import verifythm_theorems.dexter2024precise.lemma4_1_base_case as mod

    real = mod.right_side

    def wrong(Hs, eta, B):  # drops the −η²/n² part of the coefficient
        n = Hs.shape[0]
        return real(Hs, eta, B) + eta**2 / n**2 * (Hs @ Hs).sum(axis=0)

    monkeypatch.setattr(mod, "right_side", wrong)
    claim = default_registry().get("dexter2024.lemma4_1.base_case")
    numeric = tuple(k for k in claim.checks if k.name in ("exact", "property"))
    res = run_claim(claim.variant(checks=numeric), Context(), report_dir=tmp_path)
    assert res.status is Status.COUNTEREXAMPLE
