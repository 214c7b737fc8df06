"""The planted benchmark of the field's real mistakes (issue 18, item 7): its claims and a quick run.

Every planted false claim of ``tests/planted_mistakes`` is false (a known witness), invisible
to its author's own checks, and has a true twin that holds on the own generators and on a
broad random sample.  A quick subset is hunted here, one claim per kind of blind spot; the full
run, with the random-sampling baseline, is ``benchmarks/bench_hunt.py`` (a benchmark, not a
test).
"""

from __future__ import annotations

import time
import warnings
import zlib

import numpy as np
import planted_hunt as OLD
import planted_mistakes as PM
import pytest

from verifythm import Context, Status
from verifythm.runner import run_claim
from verifythm.search import hunt

IDS = [p.false.id for p in PM.PAIRS]
#: One planted claim per kind of blind spot: n ≥ 8, a scale ≥ 1e5, one batch size, a structure
#: (non-commuting members), an adversarial direction with a larger step, a scheme, a residual pattern.
QUICK = (
    "planted.n_ge_8.single_sample",
    "planted.scale.small_lr",
    "planted.one_b.full_batch",
    "planted.commuting_only.one_step",
    "planted.gd_threshold.loss_monotone",
    "planted.wr_for_wor.threshold",
    "planted.decoupling.noise_trace",
)
#: Deterministic budgets (evaluations per worker): the visited instances do not depend on the
#: machine's speed; the time caps only bound a slow machine.  The hunt deals its budget over
#: rounds, so a different budget takes a different path: this is the benchmark's (``--evals``).
QUICK_EVALS, TWIN_EVALS, BUDGET_S = 4000, 300, 30.0


def _violates(claim, inst) -> bool:
    cmp = claim.evaluate(inst)
    return not cmp.unresolved(claim.tolerance) and not cmp.holds(claim.tolerance)


def test_the_benchmark_has_twenty_planted_mistakes_with_twins():
    assert len(PM.PAIRS) >= 20
    ids = [c.id for c in PM.CLAIMS]
    assert len(ids) == len(set(ids))
    for p in PM.PAIRS:
        assert p.twin.id == p.false.id.replace("planted.", "planted.true.", 1)
        assert p.slip and p.hidden and set(p.keys) == set(p.witness)


@pytest.mark.parametrize("cid", IDS)
def test_witness_violates_the_planted_claim(cid):
    p = PM.BY_ID[cid]
    assert p.false.failed_hypotheses(p.witness) == []
    assert _violates(p.false, p.witness), p.false.evaluate(p.witness).describe()
    if not p.twin.failed_hypotheses(p.witness):
        assert not _violates(p.twin, p.witness), p.twin.evaluate(p.witness).describe()


@pytest.mark.parametrize("cid", sorted(OLD.WITNESSES))
def test_witnesses_of_the_first_planted_claims(cid):
    claim = next(c for c in OLD.PLANTED if c.id == cid)
    w = OLD.WITNESSES[cid]
    assert claim.failed_hypotheses(w) == [] and _violates(claim, w)


@pytest.mark.parametrize("cid", IDS)
def test_own_checks_miss_the_violation(cid):
    # the researcher's own generators and strategies see nothing: only a search can find it
    res = run_claim(PM.BY_ID[cid].false, Context())
    assert res.status is Status.VERIFIED, [(r.name, r.status, r.note) for r in res.checks]


@pytest.mark.parametrize("cid", IDS)
def test_true_twin_holds_on_own_and_broad_samples(cid):
    p = PM.BY_ID[cid]
    res = run_claim(p.twin, Context())
    assert res.status is Status.VERIFIED, [(r.name, r.status, r.note) for r in res.checks]
    rng = np.random.default_rng(zlib.crc32(cid.encode()))
    met = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(60):
            inst = PM.wide_instance(rng, p.keys)
            if p.twin.failed_hypotheses(inst):
                continue
            met += 1
            assert not _violates(p.twin, inst), (cid, p.twin.evaluate(inst).describe(), inst)
    assert met >= 10, f"{cid}: only {met} of 60 random instances met the twin's hypotheses"


@pytest.fixture(scope="module")
def quick_hunts():
    t0 = time.perf_counter()
    out = {cid: hunt(PM.BY_ID[cid].false, budget_s=BUDGET_S, max_evaluations=QUICK_EVALS) for cid in QUICK}
    out["_wall"] = time.perf_counter() - t0
    return out


@pytest.mark.parametrize("cid", QUICK)
def test_quick_subset_is_caught(quick_hunts, cid):
    res = quick_hunts[cid]
    assert res.found, f"{cid}: no counterexample in {res.evaluations} evaluations ({res.duration_s:.1f}s)"
    claim = PM.BY_ID[cid].false
    v = res.violation.instance
    assert claim.failed_hypotheses(v) == [] and _violates(claim, v)
    assert sum(np.asarray(x).size for x in v.values()) <= 200, v


def test_quick_subset_shows_where_the_violations_hide(quick_hunts):
    found = {cid: quick_hunts[cid].violation.instance for cid in QUICK if quick_hunts[cid].found}
    if "planted.n_ge_8.single_sample" in found:
        assert np.shape(found["planted.n_ge_8.single_sample"]["H"])[0] >= 8
    if "planted.one_b.full_batch" in found:
        inst = found["planted.one_b.full_batch"]
        assert int(inst["B"]) == np.shape(inst["H"])[0]
    if "planted.scale.small_lr" in found:
        assert np.linalg.eigvalsh(np.mean(found["planted.scale.small_lr"]["H"], axis=0))[-1] >= 1e5
    if "planted.wr_for_wor.threshold" in found:
        assert int(found["planted.wr_for_wor.threshold"]["B"]) >= 2


@pytest.mark.parametrize("cid", QUICK)
def test_quick_subset_twins_are_never_flagged(cid):
    res = hunt(PM.BY_ID[cid].twin, budget_s=BUDGET_S, max_evaluations=TWIN_EVALS)
    assert not res.found, (cid, res.violation and res.violation.instance)
    assert res.evaluations > 50
