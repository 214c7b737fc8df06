"""The claim model: comparisons, tolerances, expectations, ids, statuses and check outcomes."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st

from verifythm import (
    Check,
    Claim,
    Comparison,
    Context,
    ExactCheck,
    Expected,
    Hypothesis,
    PropertyCheck,
    Source,
    Status,
    Tolerance,
    get_profile,
)
from verifythm.claims.status import aggregate_status
from verifythm.evidence.base import MIN_MET_COUNT, CheckResult, Tally, numeric_status
from verifythm.runner import ClaimResult, run_check, run_claim

SRC = Source("wu2022alignment", "Lemma G.1")
TOL = Tolerance()


def _claim(checks: tuple[Check, ...] = (), **kw: Any) -> Claim:
    """A tiny claim: x ≤ 1 on instances {"x": ...} with the hypothesis x ≥ 0."""
    kw.setdefault("hypotheses", (Hypothesis("x ≥ 0", lambda inst: inst["x"] >= 0),))
    kw.setdefault("conclusion", lambda inst: Comparison(inst["x"], 1.0, "<=", "x", "1"))
    return Claim(id="test.tiny", title="x ≤ 1", source=SRC, statement="x ≤ 1 for x ≥ 0", checks=checks, **kw)


# -- Comparison ----------------------------------------------------------------------------------
def test_slack_sign_convention() -> None:
    assert Comparison(0.25, 0.5, "<=").slack == 0.25
    assert Comparison(0.75, 0.5, "<=").slack == -0.25
    assert Comparison(0.75, 0.5, ">=").slack == 0.25
    assert Comparison(0.25, 0.5, ">=").slack == -0.25
    assert Comparison(0.5, 0.5, "<=").slack == 0.0
    assert Comparison(0.75, 0.5, "==").slack == -0.25
    assert Comparison(0.25, 0.5, "==").slack == -0.25
    assert Comparison(0.5, 0.5, "==").slack == 0.0


def test_ratio_is_tightness() -> None:
    assert Comparison(0.5, 1.0, "<=").ratio == 0.5
    assert Comparison(2.0, 1.0, "<=").ratio == 2.0  # > 1: violated
    assert Comparison(2.0, 1.0, ">=").ratio == 0.5
    assert Comparison(1.0, 2.0, ">=").ratio == 2.0
    assert Comparison(1.0, 1.0, "<=").ratio == 1.0
    assert Comparison(1.0, 1.0, "==").ratio is None
    assert Comparison(1.0, 0.0, "<=").ratio is None  # zero bound
    assert Comparison(-1.0, 2.0, "<=").ratio is None  # negative side
    assert Comparison(1.0, -2.0, ">=").ratio is None


def test_holds_within_tolerance() -> None:
    tol = Tolerance(rtol=1e-9, atol=1e-12)
    assert Comparison(1.0 + 5e-10, 1.0, "<=").holds(tol)
    assert not Comparison(1.0 + 5e-9, 1.0, "<=").holds(tol)
    assert Comparison(1.0, 1.0 + 5e-10, "==").holds(tol)
    assert not Comparison(1.0, 1.0 + 5e-9, "==").holds(tol)
    assert Comparison(5e-13, 0.0, "<=").holds(tol)  # atol near zero
    assert not Comparison(5e-12, 0.0, "<=").holds(tol)
    assert Comparison(2.0, 1.0, ">=").holds(tol)
    assert not Comparison(1.0, 2.0, ">=").holds(tol)


@pytest.mark.parametrize("rel", ["<=", ">=", "=="])
@pytest.mark.parametrize(("lhs", "rhs"), [(math.nan, 0.0), (0.0, math.nan), (math.nan, math.nan)])
def test_nan_never_holds(rel: str, lhs: float, rhs: float) -> None:
    cmp = Comparison(lhs, rhs, rel)
    assert not cmp.holds(Tolerance(rtol=1.0, atol=1e300))


def test_infinite_sides_do_not_hold() -> None:
    assert not Comparison(math.inf, math.inf, "==").holds(TOL)
    assert not Comparison(1.0, math.inf, "<=").holds(TOL)


def test_scale_sets_the_magnitude_of_relative_tolerances() -> None:
    tol = Tolerance(rtol=1e-9, atol=1e-12)
    cmp = Comparison(1e-6, 0.0, "<=")  # ‖A − B‖ ≤ 0 style comparison
    assert cmp.magnitude == 1e-6
    assert not cmp.holds(tol)
    scaled = Comparison(1e-6, 0.0, "<=", scale=-1e4)  # |scale| is used
    assert scaled.scale == 1e4
    assert scaled.magnitude == 1e4
    assert scaled.holds(tol)
    assert scaled.rel_slack == pytest.approx(-1e-10)
    assert Comparison(2e-5, 0.0, "<=", scale=1e4).holds(tol) is False


def test_rel_slack() -> None:
    assert Comparison(1.0, 4.0, "<=").rel_slack == 0.75
    assert Comparison(0.0, 0.0, "<=").rel_slack == 0.0
    assert Comparison(0.0, 0.0, "==").rel_slack == 0.0


def test_comparison_coerces_and_validates() -> None:
    cmp = Comparison(np.float32(0.5), np.int64(1), "<=")
    assert type(cmp.lhs) is float and type(cmp.rhs) is float
    with pytest.raises(ValueError, match="relation"):
        Comparison(0.0, 1.0, "<")
    assert "slack" in Comparison(0.25, 0.5, "<=", "a", "b").describe()
    assert Comparison(0.25, 0.5, "<=", "a", "b").describe().startswith("a = 0.25 <= b = 0.5")


# -- Tolerance, Source ----------------------------------------------------------------------------
def test_tolerance_bound() -> None:
    tol = Tolerance(rtol=1e-6, atol=1e-9)
    assert tol.bound(0.0) == 1e-9
    assert tol.bound(1e3) == pytest.approx(1e-9 + 1e-3)
    assert "atol=1e-09" in tol.describe() and "rtol=1e-06" in tol.describe()
    assert Tolerance() == Tolerance(rtol=1e-9, atol=1e-12)


def test_source_short() -> None:
    assert Source("wu2022alignment", "Lemma G.1").short() == "[wu2022alignment, Lemma G.1]"
    assert Source("k", "Eq. (10)", page=7).short() == "[k, Eq. (10), p. 7]"


# -- Expected ------------------------------------------------------------------------------------
def test_expected_fails_requires_an_erratum() -> None:
    for blank in ("", "   ", "\n"):
        with pytest.raises(ValueError, match="erratum"):
            Expected.fails(blank)
    exp = Expected.fails("  off by a factor 2  ", "docs/errata/x.md")
    assert exp.is_failure and exp.erratum == "off by a factor 2" and exp.report == "docs/errata/x.md"


def test_expected_satisfied_by() -> None:
    holds, fails = Expected(), Expected.fails("false as printed")
    assert not holds.is_failure
    for s in Status:
        assert holds.satisfied_by(s) is (s in (Status.VERIFIED, Status.SKIPPED))
        assert fails.satisfied_by(s) is (s in (Status.COUNTEREXAMPLE, Status.SKIPPED))


# -- Claim ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bad",
    [
        "",
        "wu2022",
        "Wu2022.lemma",
        "wu2022.Lemma",
        "wu2022..x",
        "1wu.x",
        "wu2022.lemma-1",
        "wu2022.lemma 1",
        ".wu2022.x",
        "wu2022.x.",
    ],
)
def test_bad_claim_ids_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError, match=r"^id: "):
        Claim(id=bad, title="t", source=SRC, statement="s")


@pytest.mark.parametrize("good", ["wu2022.lemma_g1", "a.b", "wu2022.eq10.sigma.as_proved", "x1.2"])
def test_good_claim_ids(good: str) -> None:
    assert Claim(id=good, title="t", source=SRC, statement="s").id == good


def test_source_must_be_a_source() -> None:
    with pytest.raises(TypeError, match="source"):
        Claim(
            id="a.b",
            title="t",
            source=("wu2022alignment", "Lemma G.1"),  # type: ignore[arg-type]
            statement="s",
        )


def test_duplicate_check_names_are_rejected() -> None:
    gen = lambda rng, k: [{"x": 0.5}]  # noqa: E731
    with pytest.raises(ValueError, match="duplicate check names") as info:
        _claim(checks=(ExactCheck("exact", gen), ExactCheck("exact", gen)))
    assert "test.tiny" in str(info.value)


@pytest.mark.parametrize("bad", ["", "two words", "a-b", "x/y"])
def test_bad_check_names_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError, match=r"^name: "):
        ExactCheck(bad, fixed=[{"x": 0.5}])


def test_exact_check_needs_instances() -> None:
    with pytest.raises(ValueError, match="generate"):
        ExactCheck("exact")


def test_claim_helpers() -> None:
    chk = ExactCheck("exact", fixed=[{"x": 0.5}])
    claim = _claim(checks=[chk])  # sequences become tuples
    assert claim.checks == (chk,)
    assert claim.check("exact") is chk
    with pytest.raises(KeyError, match="nope"):
        claim.check("nope")
    assert claim.failed_hypotheses({"x": -1.0}) == ["x ≥ 0"]
    assert claim.failed_hypotheses({"x": 1.0}) == []
    assert claim.evaluate({"x": 2.0}).slack == -1.0
    other = claim.variant(id="test.other", checks=())
    assert other.id == "test.other" and other.checks == () and claim.checks == (chk,)
    with pytest.raises(ValueError, match="id"):
        claim.variant(id="Not An Id")


# -- aggregate_status ------------------------------------------------------------------------------
PRECEDENCE = [
    Status.COUNTEREXAMPLE,
    Status.ERROR,
    Status.INCONCLUSIVE,
    Status.VACUOUS,
    Status.VERIFIED,
    Status.SKIPPED,
]


def test_aggregate_status_precedence() -> None:
    assert aggregate_status([]) is Status.ERROR
    for s in Status:
        assert aggregate_status([s]) is s
    for hi, lo in itertools.combinations(PRECEDENCE, 2):
        assert aggregate_status([lo, hi]) is hi
        assert aggregate_status([hi, lo, lo]) is hi
    assert aggregate_status([Status.VERIFIED, Status.SKIPPED]) is Status.VERIFIED
    assert aggregate_status([Status.SKIPPED] * 3) is Status.SKIPPED
    assert aggregate_status(list(Status)) is Status.COUNTEREXAMPLE
    assert set(PRECEDENCE) == set(Status)


def test_status_strings() -> None:
    assert str(Status.VERIFIED) == "verified"
    assert Status("counterexample") is Status.COUNTEREXAMPLE


# -- numeric outcomes: verified, counterexample, vacuous -----------------------------------------------
def test_exact_check_verified_and_counts() -> None:
    claim = _claim(
        checks=(
            ExactCheck(
                "exact",
                lambda rng, k: [{"x": float(rng.uniform(0, 1))} for _ in range(k)],
                fixed=[{"x": -3.0}],
            ),
        )
    )
    res = run_check(claim, claim.checks[0], Context())
    assert res.status is Status.VERIFIED
    prof = get_profile("quick")
    assert res.instances == prof.exact_instances + 1
    assert res.hypotheses_met == prof.exact_instances  # the fixed x = -3 violates x ≥ 0
    assert res.worst_slack is not None and 0 <= res.worst_slack <= 1
    assert res.worst_ratio is not None and 0 <= res.worst_ratio <= 1
    j = res.to_json()
    assert j["status"] == "verified" and j["method"] == "exact"


def test_exact_check_reports_smallest_violation() -> None:
    fixed = [{"x": 2.0, "pad": np.zeros(3)}, {"x": 3.0}, {"x": 5.0}]
    claim = _claim(checks=(ExactCheck("exact", fixed=fixed),))
    res = run_check(claim, claim.checks[0], Context())
    assert res.status is Status.COUNTEREXAMPLE
    assert res.violation is not None and res.violation.instance == {"x": 3.0}  # first of size 1
    assert "3 float64 violation(s)" in res.note


def test_vacuous_when_hypotheses_are_almost_never_met() -> None:
    def gen(rng: np.random.Generator, k: int) -> list[dict[str, float]]:
        # every instance but two violates the hypothesis x ≥ 0
        return [{"x": 0.5}, {"x": 0.25}] + [{"x": -float(rng.uniform(1, 2))} for _ in range(k)]

    claim = _claim(checks=(ExactCheck("exact", gen),))
    res = run_claim(claim, Context())
    assert res.status is Status.VACUOUS
    assert not res.as_expected
    (chk,) = res.checks
    assert chk.hypotheses_met == 2 and chk.instances == 2 + get_profile("quick").exact_instances
    assert "hypotheses met on only 2" in chk.note


def test_vacuous_below_the_met_fraction() -> None:
    tally = Tally()
    for _ in range(MIN_MET_COUNT):
        tally.record({"x": 1.0}, Comparison(0.0, 1.0, "<="), TOL)
    for _ in range(200):
        tally.skip()
    assert numeric_status(tally)[0] is Status.VACUOUS  # 3 of 203 < 5 %
    tally = Tally()
    for _ in range(MIN_MET_COUNT):
        tally.record({"x": 1.0}, Comparison(0.0, 1.0, "<="), TOL)
    for _ in range(MIN_MET_COUNT * 19):
        tally.skip()
    assert numeric_status(tally) == (Status.VERIFIED, "")  # exactly 5 %


def test_tally_tracks_worst_relative_slack() -> None:
    tally = Tally()
    tally.record({"x": 1}, Comparison(0.5, 1.0, "<="), TOL)
    tally.record({"x": 2}, Comparison(0.9, 1.0, "<="), TOL)
    tally.record({"x": 3}, Comparison(0.1, 1.0, "<="), TOL)
    assert tally.worst_slack == pytest.approx(0.1)
    assert tally.worst_instance == {"x": 2}
    assert tally.worst_ratio == pytest.approx(0.9)
    # a NaN side is unresolved: counted, never the worst slack (Comparison.unresolved)
    assert tally.record({"x": 4}, Comparison(math.nan, 1.0, "<="), TOL) is False
    assert tally.worst_slack == pytest.approx(0.1) and tally.worst_instance == {"x": 2}
    assert (tally.met, tally.unresolved, tally.resolved) == (4, 1, 3)
    tiny = Tally()  # below atol/rtol the slack is not inflated into a large relative error
    tiny.record({}, Comparison(2e-11, 1e-11, "<="), TOL)
    assert abs(tiny.worst_slack) < 1e-7  # type: ignore[arg-type]
    below = Tally()  # sides at or below atol decide nothing
    assert below.record({}, Comparison(2e-15, 1e-15, "<="), TOL) is False
    assert below.worst_slack is None and below.unresolved == 1


def test_unresolved_comparisons_never_decide() -> None:
    """NaN/inf sides, sides below atol, and a 25 % excess that only atol accepts are unresolved."""
    for cmp in (
        Comparison(math.nan, 1.0, "<="),
        Comparison(2.2e191, math.inf, "<="),
        Comparison(1e-300, 0.0, "<="),
        Comparison(1.254e-12, 1e-12, "<="),  # wang2023.prop5_3's tiny-D instances
    ):
        assert cmp.unresolved(TOL), cmp
    assert not Comparison(1.254, 1.0, "<=").unresolved(TOL)  # a real 25 % excess is decided
    assert not Comparison(0.0, 0.0, "==", scale=1.0).unresolved(TOL)  # an identity with its scale
    tally = Tally()
    for _ in range(5):
        tally.record({"x": 1.0}, Comparison(math.nan, 1.0, "<="), TOL)
    tally.record({"x": 1.0}, Comparison(0.5, 1.0, "<="), TOL)
    status, why = numeric_status(tally)
    assert status is Status.INCONCLUSIVE and "unresolved" in why


def test_region_and_degenerate_instances() -> None:
    tally = Tally()
    for n in (2, 5):
        tally.record({"n": n, "H": np.ones((n, 3, 3)), "eta": 0.5}, Comparison(0.5, 1.0, "<="), TOL)
    ex = tally.explored()
    assert ex["scalars"]["n"] == [2, 5] and ex["shapes"]["H"] == {"min": [2, 3, 3], "max": [5, 3, 3]}
    assert ex["met"] == 2 and ex["unresolved"] == 0 and ex["scale"] == [1, 1]
    zero = Tally()
    for _ in range(4):
        zero.record({"H": np.zeros((2, 2))}, Comparison(0.0, 1.0, "<="), TOL)
    assert numeric_status(zero)[0] is Status.VACUOUS


def test_check_result_json_drops_non_finite() -> None:
    res = CheckResult("exact", "exact", Status.COUNTEREXAMPLE, worst_slack=-math.inf, worst_ratio=math.nan)
    j = res.to_json()
    assert j["worst_slack"] is None and j["worst_ratio"] is None
    assert set(j) == {
        "name",
        "method",
        "status",
        "instances",
        "hypotheses_met",
        "worst_slack",
        "worst_ratio",
        "unresolved",
        "explored",
        "constant",
        "duration_s",
        "note",
    }


# -- errors and skips ---------------------------------------------------------------------------------
def test_a_check_that_raises_is_an_error() -> None:
    def gen(rng: np.random.Generator, k: int) -> list[dict[str, float]]:
        raise RuntimeError("generator exploded")

    claim = _claim(checks=(ExactCheck("exact", gen),))
    res = run_check(claim, claim.checks[0], Context())
    assert res.status is Status.ERROR
    assert "RuntimeError" in res.note and "generator exploded" in res.note
    assert res.violation is None


def test_a_conclusion_that_raises_is_an_error_not_a_verdict() -> None:
    def boom(inst: Any) -> Comparison:
        raise ZeroDivisionError("division by zero in the conclusion")

    claim = _claim(
        conclusion=boom,
        checks=(
            ExactCheck("exact", fixed=[{"x": 0.5}]),
            PropertyCheck("property", st.fixed_dictionaries({"x": st.floats(0, 1)}), max_examples=10),
        ),
    )
    res = run_claim(claim, Context())
    assert [r.status for r in res.checks] == [Status.ERROR, Status.ERROR]
    assert all("ZeroDivisionError" in r.note for r in res.checks)
    assert res.status is Status.ERROR
    assert res.counterexample is None


def test_custom_check_that_raises_is_an_error() -> None:
    class Boom(Check):
        method = "search"

        def run(self, claim: Claim, ctx: Context) -> CheckResult:
            raise KeyError("missing")

    claim = _claim(checks=(Boom("boom"),))
    res = run_check(claim, claim.checks[0], Context())
    assert res.status is Status.ERROR and res.method == "search" and "KeyError" in res.note


def test_missing_optional_module_is_skipped() -> None:
    chk = ExactCheck("exact", fixed=[{"x": 5.0}], requires=("a_module_that_does_not_exist",))
    claim = _claim(checks=(chk,))
    res = run_check(claim, chk, Context())
    assert res.status is Status.SKIPPED
    assert "a_module_that_does_not_exist" in res.note
    whole = run_claim(claim, Context())
    assert whole.status is Status.SKIPPED and whole.as_expected  # never ran: x = 5 is not judged
    assert whole.counterexample is None


def test_present_optional_module_runs() -> None:
    chk = ExactCheck("exact", fixed=[{"x": 5.0}], requires=("numpy",))
    res = run_check(_claim(checks=(chk,)), chk, Context())
    assert res.status is Status.COUNTEREXAMPLE


def test_run_claim_only_and_on_check() -> None:
    seen: list[str] = []
    claim = _claim(checks=(ExactCheck("a", fixed=[{"x": 0.5}] * 3), ExactCheck("b", fixed=[{"x": 5.0}])))
    res = run_claim(claim, Context(), only=["a"], on_check=lambda c, r: seen.append(r.name))
    assert seen == ["a"] and res.status is Status.VERIFIED
    res = run_claim(claim, Context())
    assert res.status is Status.COUNTEREXAMPLE and isinstance(res, ClaimResult)
    assert res.worst_slack() == pytest.approx(-0.8)  # relative: slack / max(|lhs|, |rhs|)


# -- precise re-check --------------------------------------------------------------------------------
def test_precise_conclusion_vetoes_rounding_artefacts() -> None:
    # float64 says x = 1 + 1e-8 > 1 (beyond rtol 1e-9); the precise value is exactly 1
    claim = _claim(
        conclusion=lambda inst: Comparison(inst["x"], 1.0, "<="),
        precise_conclusion=lambda inst: Comparison(1.0, 1.0, "<="),
        checks=(ExactCheck("exact", fixed=[{"x": 1.0 + 1e-8}] * 3),),
    )
    assert run_claim(claim, Context()).status is Status.VERIFIED


def test_precise_conclusion_disagreeing_beyond_rounding_is_an_error() -> None:
    claim = _claim(
        conclusion=lambda inst: Comparison(inst["x"], 1.0, "<="),
        precise_conclusion=lambda inst: Comparison(1.0, 1.0, "<="),
        checks=(ExactCheck("exact", fixed=[{"x": 2.0}] * 3),),
    )
    res = run_claim(claim, Context())
    assert res.status is Status.ERROR
    assert "disagree" in res.checks[0].note


def test_precise_conclusion_confirms_violations() -> None:
    claim = _claim(
        precise_conclusion=lambda inst: Comparison(inst["x"], 1.0, "<="),
        checks=(ExactCheck("exact", fixed=[{"x": 2.0}]),),
    )
    res = run_claim(claim, Context())
    assert res.status is Status.COUNTEREXAMPLE
    viol = res.checks[0].violation
    assert viol is not None and viol.precise is not None
    assert "confirmed by the high-precision re-check" in viol.precision_note
    assert viol.precise.lhs_label == "x"  # labels carried over from the float comparison


# -- profiles and context ------------------------------------------------------------------------------
def test_profiles() -> None:
    quick = get_profile("quick")
    assert quick.seed == 20221 and get_profile("quick", seed=5).seed == 5
    assert get_profile("quick", seed=5).max_examples == quick.max_examples
    with pytest.raises(ValueError, match=r"^profile: "):
        get_profile("fast")
    with pytest.raises(ValueError, match=r"^seed: "):
        get_profile("quick", seed=-1)


def test_context_rng_is_deterministic_and_salted() -> None:
    a = Context().rng("x", "y").random(3)
    assert np.array_equal(a, Context().rng("x", "y").random(3))
    assert not np.array_equal(a, Context().rng("x", "z").random(3))
    other = Context(profile=get_profile("quick", seed=1)).rng("x", "y").random(3)
    assert not np.array_equal(a, other)


def test_resolution_leaves_unresolved_only_a_verdict_that_could_flip() -> None:
    """An identity read against its scale: a finite difference's error estimate decides.

    Tiny gap with a tinier error: holds.  A gap beyond the tolerance that the error estimate
    covers: unresolved (a finite-difference artefact, not a counterexample).  A gap far beyond
    both: violated.
    """
    tol = Tolerance(rtol=1e-6, atol=1e-12)
    ok = Comparison(1e-12, 0.0, "==", scale=1.0, resolution=1e-11)
    assert ok.unresolved(tol) == "" and ok.holds(tol)
    covered = Comparison(5e-5, 0.0, "==", scale=2.4, resolution=6e-5)
    assert covered.unresolved(tol).startswith("the sides are not resolved")
    beyond = Comparison(0.1, 0.0, "==", scale=1.0, resolution=1e-4)
    assert beyond.unresolved(tol) == "" and not beyond.holds(tol)


def test_float64_only_violation_must_clear_the_noise_margin() -> None:
    """Without a precise re-check a violation must exceed NOISE_MARGIN times the spread of the
    sides under input noise: an ill-conditioned artefact is not confirmed, a clear one is."""
    from verifythm import Claim, Source
    from verifythm.search.shrink import NOISE_MARGIN, confirm

    def conditioned(inst: dict) -> Comparison:  # 1e-14 relative noise on x moves lhs by ~1e-2
        return Comparison(float(inst["g"]) + 1e12 * (float(inst["x"]) - 1.0), 0.0, "<=")

    claim = Claim(id="t.noise", title="t", source=Source("k", "s"), statement="s", conclusion=conditioned)
    assert confirm(claim, {"x": 1.0, "g": 100 * NOISE_MARGIN}) is not None
    assert confirm(claim, {"x": 1.0, "g": 0.5}) is None  # above the spread, within the margin


def test_array_memo_keys_on_dtype_shape_and_bytes() -> None:
    import numpy as np

    from verifythm.evidence.memo import ArrayMemo

    calls: list[int] = []
    memo: ArrayMemo[int] = ArrayMemo(2)

    def get(**entries: object) -> int:
        return memo.get(entries, lambda: calls.append(1) or len(calls))

    x = np.arange(4.0)
    assert get(x=x) == 1 and get(x=x.copy()) == 1  # same bytes: computed once
    assert get(x=x.astype(np.float32)) == 2  # another dtype
    assert get(x=x.reshape(2, 2)) == 3  # another shape; the float32 entry is now the oldest kept
    assert len(memo) == 2 and get(x=x) == 4  # the first entry was dropped (kept = 2)
    with pytest.raises(ValueError, match="kept"):
        ArrayMemo(0)
