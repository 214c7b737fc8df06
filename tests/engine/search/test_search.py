"""The counterexample hunter, tightness maps, reports and executors (issue: search).

Planted false claims of increasing difficulty (``tests/planted_hunt.py``) must be caught
within the default budget, where the claims' own checks see nothing; true claims on the
same instances must never be flagged.
"""

from __future__ import annotations

import io
import json

import numpy as np
import planted_hunt as P
import pytest
from support import TESTS_DIR

from verifythm import Context, Status, default_registry
from verifythm.cli import main
from verifythm.evidence.montecarlo import MonteCarloConclusion, mean_bounds, quantile_lcb
from verifythm.runner import run_claim
from verifythm.search.hunt import DEFAULT_BUDGET_S, apply_drop, hunt
from verifythm.search.parallel import make_executor
from verifythm.search.report import write_hunt_report, write_index, write_tightness_report
from verifythm.search.space import structured_moves, truncate_axis
from verifythm.search.tightness import tightness

IMPORT = str(TESTS_DIR / "planted_hunt.py")
# Deterministic budgets (evaluations per worker): the instances visited do not depend on the
# machine's speed, so these tests cannot flake; the default time budget only caps the time.
EVALS = 5000


@pytest.fixture(scope="module")
def planted_hunts():
    return {c.id: hunt(c, budget_s=DEFAULT_BUDGET_S, max_evaluations=EVALS) for c in P.PLANTED}


@pytest.mark.parametrize("claim", P.PLANTED, ids=lambda c: c.id)
def test_own_checks_miss_the_planted_violation(claim, tmp_path):
    # the seeds are benign: only an active search can find these counterexamples
    res = run_claim(claim, Context(), report_dir=tmp_path)
    assert res.status is Status.VERIFIED, [(r.name, r.status, r.note) for r in res.checks]


@pytest.mark.parametrize("cid", [c.id for c in P.PLANTED])
def test_planted_false_claim_is_caught_within_default_budget(planted_hunts, cid):
    res = planted_hunts[cid]
    assert res.found, f"{cid}: no counterexample in {res.duration_s:.1f}s ({res.evaluations} evaluations)"
    assert res.found_after_s is not None and res.found_after_s < DEFAULT_BUDGET_S
    v = res.violation
    assert not res.claim.failed_hypotheses(v.instance)
    assert not v.comparison.holds(res.claim.tolerance)


def test_hunts_find_what_each_planted_claim_hides(planted_hunts):
    b1 = planted_hunts["hunt.b1.wor_noise"].violation.instance
    assert int(b1["B"]) == 1
    assert np.shape(planted_hunts["hunt.dim1.lambda_min"].violation.instance["H"]) == (1, 1)
    assert planted_hunts["hunt.scheme.noise_over_b"].violation.instance["sampling"] == "bernoulli"
    first = planted_hunts["hunt.first_moment.abs_growth"].violation
    # decided on the first moment by the Monte Carlo rule, and confirmed by a replicate
    assert "bound of E|w_t|" in first.comparison.lhs_label
    assert "replicate" in first.precision_note
    # the same instance satisfies the second-moment statement exactly
    assert P.SECOND_TRUE.evaluate(first.instance).holds(P.SECOND_TRUE.tolerance)


def test_counterexamples_are_shrunk(planted_hunts):
    for res in planted_hunts.values():
        size = sum(np.asarray(v).size for v in res.violation.instance.values())
        assert size <= 40, (res.claim.id, res.violation.instance)


@pytest.mark.parametrize("claim", P.TRUE, ids=lambda c: c.id)
def test_true_claim_is_not_flagged(claim):
    res = hunt(claim, budget_s=DEFAULT_BUDGET_S, max_evaluations=1500)
    assert not res.found, (claim.id, res.violation and res.violation.description)
    assert res.evaluations > 50


def test_report_files_reproduce_and_never_overwrite(planted_hunts, tmp_path, capsys):
    res = planted_hunts["hunt.b1.wor_noise"]
    rep = write_hunt_report(res, tmp_path, imports=(IMPORT,))
    again = write_hunt_report(res, tmp_path, imports=(IMPORT,))
    assert rep.markdown != again.markdown and rep.markdown.exists()
    text = rep.markdown.read_text()
    for part in ("What is claimed", "The instance", "each side", "Hypotheses as checked", "Reproduce"):
        assert part in text
    doc = json.loads(rep.json.read_text())
    assert doc["found"] and doc["reproduce"].startswith("verifythm reproduce")
    out = io.StringIO()
    assert main(["reproduce", str(rep.instance), "--import", IMPORT], out=out) == 1
    assert "VIOLATED" in out.getvalue()
    index = write_index(tmp_path).read_text()
    assert index.count("| `hunt.b1.wor_noise` |") == 2


def test_assumption_necessity_of_stability_in_theorem_3_3(tmp_path):
    claim = default_registry().get("wu2022.thm3_3")
    res = hunt(claim, drop=["linearly stable"], max_evaluations=EVALS)
    assert res.found and res.drop == ("linearly stable",)
    assert all("linearly stable" not in h.name for h in res.claim.hypotheses)
    rep = write_hunt_report(res, tmp_path)
    assert "the hypothesis is necessary" in rep.markdown.read_text()
    out = io.StringIO()
    # plain reproduce: the instance violates the hypothesis, so it is no counterexample ...
    assert main(["reproduce", str(rep.instance)], out=out) == 0
    # ... but with the hypothesis dropped, the conclusion fails
    assert main(["reproduce", str(rep.instance), "--drop", "linearly stable"], out=out) == 1


def test_sampling_scheme_is_necessary_for_theorem_3_3():
    claim = default_registry().get("wu2022.thm3_3")
    res = hunt(
        claim, drop=["sampling"], max_evaluations=EVALS, budget_s=300.0
    )  # evaluations decide, not the clock
    assert res.found
    assert res.violation.instance["sampling"] in ("without-replacement", "bernoulli")


def test_drop_errors_name_the_argument():
    claim = default_registry().get("wu2022.thm3_3")
    with pytest.raises(ValueError, match="drop"):
        apply_drop(claim, ["no such hypothesis"])
    with pytest.raises(ValueError, match="budget_s"):
        hunt(claim, budget_s=0)


def test_tightness_of_theorem_3_3_reaches_one(tmp_path):
    claim = default_registry().get("wu2022.thm3_3")
    res = tightness(claim, budget_s=6.0, grid=["B"], grid_size=3)
    assert res.sup_ratio is not None and 0.99 <= res.sup_ratio <= 1 + 1e-6
    assert not res.violated
    assert res.grid_ratio is not None and res.grid_ratio.shape == (3,)
    rep = write_tightness_report(res, tmp_path)
    assert rep.png is not None and rep.png.read_bytes()[:4] == b"\x89PNG"
    assert "supremum" in rep.markdown.read_text()


def test_tightness_two_parameter_map():
    res = tightness(P.SECOND_TRUE, budget_s=4.0, grid_size=3)
    assert len(res.grid_keys) == 2 and res.grid_ratio.shape == (3, 3)
    # an equality: every cell with a feasible instance is tight
    finite = res.grid_ratio[np.isfinite(res.grid_ratio)]
    assert finite.size and np.allclose(finite, 1.0)


def test_dask_local_cluster_runs_the_same_hunt():
    pytest.importorskip("distributed")
    with make_executor("dask", workers=2) as ex:
        res = hunt(P.B1, executor=ex, workers=2, imports=(IMPORT,), max_evaluations=EVALS)
    assert res.found and int(res.violation.instance["B"]) == 1
    assert res.executor.startswith("distributed")


def test_cli_hunt_with_process_pool(tmp_path):
    out = io.StringIO()
    rc = main(
        [
            "hunt",
            "hunt.dim1.lambda_min",
            "--import",
            IMPORT,
            "--budget",
            "10",
            "--workers",
            "2",
            "--report-dir",
            str(tmp_path),
            "--json",
            str(tmp_path / "h.json"),
            "-q",
        ],
        out=out,
    )
    assert rc == 1, out.getvalue()  # a counterexample to a claim expected to hold
    doc = json.loads((tmp_path / "h.json").read_text())
    assert doc["found"] and doc["executor"].endswith("ProcessPoolExecutor")
    assert (tmp_path / "index.md").exists()


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["hunt", "no.such.claim", "--executor", "serial"], "unknown claim id"),
        (["hunt", "wu2022.thm3_3", "--budget", "0"], "--budget"),
        (["hunt", "wu2022.thm3_3", "--executor", "warp"], "executor"),
        (["hunt", "wu2022.thm3_3", "--executor", "serial", "--drop", "nonsense"], "drop"),
        (["tightness", "wu2022.thm3_3", "--executor", "serial", "--grid", "zz"], "grid"),
    ],
)
def test_cli_usage_errors(argv, needle, tmp_path, capsys):
    assert main([*argv, "--report-dir", str(tmp_path), "-q"], out=io.StringIO()) == 2
    assert needle in capsys.readouterr().err


# -- the pieces -----------------------------------------------------------------------------
def test_truncate_axis_keeps_shapes_consistent():
    inst = {"Q": np.ones((3, 4)), "y": np.ones(4), "B": 3, "eta": 0.5}
    small = truncate_axis(inst, 4, 2)
    assert small["Q"].shape == (3, 2) and small["y"].shape == (2,) and small["B"] == 2


def test_structured_moves_cover_the_families():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 5))
    inst = {"H": a @ a.T, "theta": rng.standard_normal(3), "B": 2}
    descs = [d for d, _ in structured_moves(inst)]
    for needle in ("diagonal", "rank one", "B = 1", "truncated to 1", "bottom eigenvector"):
        assert any(needle in d for d in descs), needle


def test_mean_bounds_cover_the_mean_at_the_stated_rate():
    rng = np.random.default_rng(1)
    misses = 0
    for _ in range(400):
        x = rng.uniform(0.0, 1.0, 200)
        b = mean_bounds(x, alpha=0.05, value_range=1.0)
        misses += b.upper < 0.5 or b.lower > 0.5
    assert misses <= 0.05 * 400 * 2  # each side at most 5 % (empirical Bernstein is conservative)
    with pytest.raises(ValueError, match="samples"):
        mean_bounds(np.array([1.0]))
    with pytest.raises(ValueError, match="alpha"):
        mean_bounds(np.ones(5), alpha=0.0)
    with pytest.raises(ValueError, match="samples"):
        mean_bounds(np.array([1.0, np.nan]))


def test_quantile_lcb_is_below_the_quantile_at_the_stated_rate():
    # Uniform(0, 1): the 0.9-quantile is 0.9; a 1 − alpha lower bound may exceed it with rate <= alpha
    rng = np.random.default_rng(2)
    above = sum(quantile_lcb(rng.uniform(0.0, 1.0, 300), 0.9, alpha=0.05) > 0.9 for _ in range(400))
    assert above <= 0.05 * 400 * 2
    assert quantile_lcb(np.arange(10.0), 0.5, alpha=1e-6) == -np.inf  # P(Bin(10, 0.5) = 0) > alpha
    assert quantile_lcb(np.arange(10.0), 0.99, alpha=1e-6) == 5.0  # P(Bin(10, 0.99) <= 5) <= alpha
    with pytest.raises(ValueError, match="p"):
        quantile_lcb(np.ones(5), 1.0)
    with pytest.raises(ValueError, match="alpha"):
        quantile_lcb(np.ones(5), 0.5, alpha=0.0)


def test_monte_carlo_conclusion_decides_only_when_decisive():
    def sample(inst, rng, m):
        return rng.normal(inst["mu"], 1.0, m)

    mc = MonteCarloConclusion(sample, lambda inst: 0.0, "<=", m=2000)
    assert mc({"mu": 0.0}).holds(P.FIRST.tolerance)  # E X = bound: no decision against it
    assert not mc({"mu": 0.5}).holds(P.FIRST.tolerance)  # clearly above: violated
    assert not mc.replicate({"mu": 0.5}).holds(P.FIRST.tolerance)
    assert mc({"mu": 0.0}).lhs == mc({"mu": 0.0}).lhs  # seeded by the instance: never flakes
    with pytest.raises(ValueError, match="relation"):
        MonteCarloConclusion(sample, lambda inst: 0.0, "==")


def test_survey_reports_tightness_and_necessity(tmp_path):
    from verifythm.search.survey import survey

    claims = [P.DIM1_TRUE, P.SCHEME_TRUE]
    # the necessity hunts run on an evaluation budget: the verdicts may not depend on the load
    # (the freed scheme is tried on the smallest seeds before any slow move: ~26 evaluations)
    results = survey(
        claims, tmp_path, tightness_s=1.0, drop_s=30.0, imports=(IMPORT,), drop_evaluations=300
    )
    by_id = {r["id"]: r for r in results}
    lam = by_id["hunt.true.lambda_min"]
    assert lam["relation"] == "<=" and lam["sup_ratio"] is not None and lam["sup_ratio"] > 0.9
    assert not lam["violated"]
    # λ_min ≤ mean eigenvalue for every symmetric matrix: no hypothesis is needed, and the
    # survey must not claim otherwise
    assert lam["hypotheses"] and not any(h["necessary"] for h in lam["hypotheses"])
    scheme = by_id["hunt.true.noise_over_b"]
    assert {h["dropped"] for h in scheme["hypotheses"]} >= {"sampling"}
    assert next(h for h in scheme["hypotheses"] if h["dropped"] == "sampling")["necessary"]
    text = (tmp_path / "survey.md").read_text()
    assert "hunt.true.lambda_min" in text and (tmp_path / "index.md").exists()


def test_phase_diagram_matches_the_critical_learning_rate():
    from concurrent.futures import ProcessPoolExecutor

    from verifythm.search.sweep import stability_phase_diagram

    rng = np.random.default_rng(3)
    g = rng.standard_normal((5, 3))
    etas = np.linspace(0.05, 1.5, 12)
    local = stability_phase_diagram(etas, [1, 2, 5], gradients=g)
    with ProcessPoolExecutor(max_workers=2) as ex:
        remote = stability_phase_diagram(etas, [1, 2, 5], gradients=g, executor=ex)
    np.testing.assert_allclose(local.rho, remote.rho, rtol=1e-12)
    for row, crit in zip(local.rho, local.critical, strict=True):
        np.testing.assert_array_equal(row <= 1.0 + 1e-12, etas <= crit + 1e-12)
    assert np.all(np.diff(local.critical) > 0)  # larger batches: larger stable region
    with pytest.raises(ValueError, match="etas"):
        stability_phase_diagram([0.0], [1], gradients=g)
    with pytest.raises(ValueError, match="exactly one"):
        stability_phase_diagram([0.1], [1])


def test_power_law_fit_recovers_the_exponent_and_rejects_a_wrong_one():
    from verifythm.search.sweep import fit_power_law

    rng = np.random.default_rng(4)
    s = np.array([8, 16, 32, 64, 128, 256])
    v = 2.5 * s**-0.5 * np.exp(0.02 * rng.standard_normal(s.size))
    fit = fit_power_law(s, v, claimed=-0.5)
    assert fit.consistent_with(-0.5) and not fit.consistent_with(-1.0)
    assert 2.3 < fit.implied_constant < 2.8
    with pytest.raises(ValueError, match="positive"):
        fit_power_law([1, 2, 3], [1.0, -1.0, 2.0])


def test_guards_turn_runaway_evaluations_into_infeasible_instances():
    import time as _time

    from verifythm.search.guard import EvaluationTimeout, memory_guard, time_guard

    with memory_guard(256 * 2**20), pytest.raises(MemoryError):
        np.ones(2**31)  # 16 GiB
    assert np.ones(2**20).sum() == 2**20  # the limit is lifted afterwards
    with pytest.raises(EvaluationTimeout), time_guard(0.2):
        _time.sleep(2)


def test_survey_merges_into_an_earlier_survey(tmp_path):
    from verifythm.search.survey import merge_entries

    path = tmp_path / "survey.json"
    path.write_text(json.dumps([{"id": "a", "v": 1}, {"id": "b", "v": 1}]))
    merged = merge_entries(path, [{"id": "b", "v": 2}, {"id": "c", "v": 2}])
    assert merged == [{"id": "a", "v": 1}, {"id": "b", "v": 2}, {"id": "c", "v": 2}]


def test_rounding_violations_refuted_in_high_precision_do_not_stop_the_hunt():
    from verifythm import Claim, Comparison, ExactCheck, Source, Tolerance

    def conclusion(inst):  # float64 says violated whenever x > 1; the exact re-check says it holds
        x = float(inst["x"])
        return Comparison(x * (1 + 1e-6) if x > 1 else x, x, "<=")

    claim = Claim(
        id="hunt.rounding.only",
        title="x <= x (true; the float formula is wrong above 1)",
        source=Source("wu2022alignment", "planted hunt test"),
        statement="$x\\le x$.",
        conclusion=conclusion,
        precise_conclusion=lambda inst: Comparison(float(inst["x"]), float(inst["x"]), "<="),
        checks=(ExactCheck("exact", lambda rng, k: [{"x": float(v)} for v in rng.uniform(0.1, 3, k)]),),
        tolerance=Tolerance(rtol=1e-9, atol=1e-12),
    )
    res = hunt(claim, max_evaluations=500)
    assert not res.found and res.unconfirmed > 0
    assert res.evaluations >= 400  # it kept searching after the refuted violations
