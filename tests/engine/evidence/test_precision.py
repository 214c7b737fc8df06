"""The high-precision re-check: it filters rounding artefacts but never hides a real change."""

import numpy as np

from verifythm import Comparison, Context, Status, default_registry
from verifythm.evidence.numeric import judge
from verifythm.runner import run_claim

G1 = default_registry().get("wu2022.lemma_g1")


def test_weakening_only_the_float_conclusion_is_an_error_not_verified():
    # The float64 formula says "violated", the untouched precise formula says "holds":
    # that is an inconsistency of the claim, which must not be reported as verified.
    def weakened(inst):
        c = G1.conclusion(inst)
        return Comparison(c.lhs, 0.9 * c.rhs, ">=")

    res = run_claim(G1.variant(id="test.g1_float_only", conclusion=weakened), Context())
    assert res.status is Status.ERROR
    assert any("disagree" in c.note for c in res.checks)


def test_rounding_artefact_returns_the_precise_comparison():
    inst = {"H": np.diag([1.0, 0.0]), "a": 2.0, "b": 1.0}  # equality case of Lemma G.1

    def off_by_rounding(i):
        c = G1.conclusion(i)
        return Comparison(c.lhs - 1e-10, c.rhs, ">=")  # beyond tolerance, within rounding gap

    claim = G1.variant(id="test.g1_rounding", conclusion=off_by_rounding)
    cmp, viol = judge(claim, inst)
    assert viol is None
    assert cmp.holds(claim.tolerance)
