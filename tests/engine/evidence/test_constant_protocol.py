"""The hidden-constant protocol (:class:`verifythm.evidence.constant.ConstantCheck`).

Planted claims whose implied constant grows (c log n, c n^0.1), decays (c / log n) or stays
bounded must get ``counterexample`` / ``verified`` for every seed, in both profiles, through
the ordinary runner; unresolved draws, encoding errors and the JSON / Markdown outputs are
checked too.
"""

from __future__ import annotations

import doctest
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import verifythm.evidence.constant as constant_mod
from verifythm import Claim, ConstantCheck, Hypothesis, Source, Status
from verifythm.evidence.base import Context, get_profile
from verifythm.report.counterexample import read_counterexample
from verifythm.runner import run_claim

FIT = [{"n": 16}, {"n": 32}, {"n": 64}]
HOLDOUT = [{"n": 256}, {"n": 1024}]
THOROUGH = [{"n": 4096}]
SEEDS = range(20)
PROFILES = ("quick", "thorough")


def log_growth(p: dict[str, Any], rng: np.random.Generator) -> float:
    return 1.5 * math.log(p["n"]) * (1 + 0.05 * rng.standard_normal())


def power_growth(p: dict[str, Any], rng: np.random.Generator) -> float:
    return 1.5 * p["n"] ** 0.1 * (1 + 0.05 * rng.standard_normal())


def bounded(p: dict[str, Any], rng: np.random.Generator) -> float:
    return 2 + 0.3 * rng.random()


def log_decay(p: dict[str, Any], rng: np.random.Generator) -> float:
    return 3 / math.log(p["n"]) * (1 + 0.05 * rng.standard_normal())


def planted(implied: Callable[..., float], ident: str = "planted.claim", **kw: Any) -> Claim:
    kw = {"fit": FIT, "holdout": HOLDOUT, **kw}
    chk = ConstantCheck("constant", implied, **kw)
    return Claim(
        ident, "planted constant", Source("planted", "Claim 1"), "C(n) ≲ 1", checks=(chk,), kind="constant"
    )


def verdicts(claim: Claim, profile: str) -> list[Status]:
    return [run_claim(claim, Context(profile=get_profile(profile, seed=s))).status for s in SEEDS]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("extra", [None, THOROUGH], ids=["holdout", "thorough_holdout"])
@pytest.mark.parametrize(
    ("implied", "expected"),
    [(log_growth, Status.COUNTEREXAMPLE), (power_growth, Status.COUNTEREXAMPLE), (bounded, Status.VERIFIED)],
    ids=["log", "power", "bounded"],
)
def test_upper_planted(implied: Callable[..., float], expected: Status, extra: Any, profile: str) -> None:
    got = verdicts(planted(implied, thorough_holdout=extra), profile)
    assert got == [expected] * len(SEEDS), got


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("statistic", ["min", "max", "median"])
@pytest.mark.parametrize(
    ("implied", "expected"),
    [(log_decay, Status.COUNTEREXAMPLE), (bounded, Status.VERIFIED)],
    ids=["decay", "bounded"],
)
def test_lower_planted(implied: Callable[..., float], expected: Status, statistic: str, profile: str) -> None:
    claim = planted(implied, direction="lower", statistic=statistic, thorough_holdout=THOROUGH)
    got = verdicts(claim, profile)
    assert got == [expected] * len(SEEDS), got


def test_lower_reports_the_decay_exponent() -> None:
    res = run_claim(planted(log_decay, direction="lower", statistic="min"), Context()).checks[0]
    c = res.constant
    assert c is not None and c["direction"] == "lower" and "negated" in c["exponent_of"]
    assert c["exponent"] > 0 and c["growth_exponent"][0] > 0  # decay is the adverse direction
    assert c["holdout_min"] < c["fitted"] / (1 + c["margin"])
    assert res.violation is not None and res.violation.comparison.relation == ">="
    assert res.worst_ratio == pytest.approx(c["fitted"] / c["holdout_min"])


def test_verified_bounded_is_not_a_constant_checked_on_its_own_fit() -> None:
    res = run_claim(planted(bounded), Context()).checks[0]
    c = res.constant
    assert res.status is Status.VERIFIED and res.method == "constant_fit"
    assert c["fit_sizes"] == [16.0, 32.0, 64.0] and c["holdout_sizes"] == [256.0, 1024.0]
    assert c["growth_exponent"][1] < c["growth_max"]
    assert c["holdout_max"] <= c["fitted"] * (1 + c["margin"])
    assert res.instances == res.hypotheses_met == 5 * 8 and res.unresolved == 0
    assert res.explored == {"n": {"min": 16.0, "max": 1024.0}, "points": 5, "draws": 40}
    for needle in ("n ∈ {16, 32, 64}", "{256, 1024}", "margin 0.1", "< 0.1", "α = 0.001"):
        assert needle in res.note, needle


def test_thorough_uses_more_draws_and_extra_holdout() -> None:
    ctx = Context(profile=get_profile("thorough"))
    res = run_claim(planted(bounded, thorough_holdout=THOROUGH), ctx).checks[0]
    assert res.constant["draws"] == 32 and res.constant["holdout_sizes"] == [256.0, 1024.0, 4096.0]
    assert res.instances == 6 * 32


def test_json_entry() -> None:
    for implied in (log_growth, bounded):
        entry = run_claim(planted(implied), Context()).checks[0].to_json()
        json.dumps(entry, allow_nan=False)
        c = entry["constant"]
        keys = {"fit_sizes", "holdout_sizes", "fitted", "holdout_max", "growth_exponent", "exponent"}
        keys |= {"direction", "margin", "growth_max", "alpha", "draws"}
        assert keys <= c.keys()
        floats = [c["fitted"], c["holdout_max"], c["exponent"], *c["growth_exponent"], *c["fit_sizes"]]
        assert all(isinstance(x, float) and math.isfinite(x) for x in floats)
        assert entry["method"] == "constant_fit" and entry["explored"]["points"] == 5


def test_deterministic_and_independent_of_key_order() -> None:
    def two_keys(p: dict[str, Any], rng: np.random.Generator) -> float:
        return p["d"] * math.log(p["n"]) * (1 + 0.05 * rng.standard_normal())

    fit = [{"n": n, "d": 2} for n in (16, 32, 64)]
    hold = [{"n": n, "d": 2} for n in (256, 1024)]
    rev = [dict(reversed(p.items())) for p in fit], [dict(reversed(p.items())) for p in hold]
    a = run_claim(planted(two_keys, fit=fit, holdout=hold), Context()).checks[0]
    b = run_claim(planted(two_keys, fit=rev[0], holdout=rev[1]), Context()).checks[0]
    assert a.status is b.status is Status.COUNTEREXAMPLE
    assert a.constant == b.constant


def test_validation_names_the_argument() -> None:
    with pytest.raises(ValueError, match="holdout"):
        ConstantCheck("constant", bounded, fit=FIT, holdout=[{"n": 128}, {"n": 255}])
    with pytest.raises(ValueError, match="holdout"):
        ConstantCheck("constant", bounded, fit=FIT, holdout=[])
    with pytest.raises(ValueError, match="fit"):
        ConstantCheck("constant", bounded, fit=[{"n": 16}], holdout=HOLDOUT)
    with pytest.raises(ValueError, match="direction"):
        ConstantCheck("constant", bounded, fit=FIT, holdout=HOLDOUT, direction="up")
    with pytest.raises(ValueError, match="statistic"):
        ConstantCheck("constant", bounded, fit=FIT, holdout=HOLDOUT, statistic="mean")
    with pytest.raises(ValueError, match="fit"):
        ConstantCheck("constant", bounded, fit=[{"d": 1}, {"d": 2}], holdout=HOLDOUT)
    ConstantCheck("constant", bounded, fit=FIT, holdout=[{"n": 256}])  # exactly 4x is enough
    chk = ConstantCheck("constant", bounded, fit=FIT, holdout=HOLDOUT, size=lambda p: 2 * p["n"])
    assert chk.size_label == "size"


def test_unresolved_draws_are_counted_not_evidence() -> None:
    def sometimes_nan(p: dict[str, Any], rng: np.random.Generator) -> float:
        u = rng.random()
        return math.nan if u < 0.05 else (-1.0 if u < 0.07 else 2 + 0.3 * rng.random())

    few = [
        run_claim(planted(sometimes_nan), Context(profile=get_profile("thorough", seed=s))).checks[0]
        for s in (1, 2)
    ]
    for res in few:
        assert 0 < res.unresolved <= 0.1 * res.instances
        assert res.status is Status.VERIFIED and "unresolved" in res.note

    def mostly_nan(p: dict[str, Any], rng: np.random.Generator) -> float:
        return math.nan if rng.random() < 0.5 else 2 * math.log(p["n"])

    res = run_claim(planted(mostly_nan), Context()).checks[0]
    assert res.status is Status.INCONCLUSIVE and res.unresolved > 4 and "unresolved" in res.note
    json.dumps(res.to_json(), allow_nan=False)

    res = run_claim(planted(lambda p, rng: math.inf), Context()).checks[0]
    assert res.status is Status.INCONCLUSIVE and res.unresolved == res.instances == 40
    assert res.violation is None
    json.dumps(res.to_json(), allow_nan=False)


def test_hypothesis_violating_size_points_are_an_encoding_error() -> None:
    claim = planted(bounded).variant(hypotheses=(Hypothesis("n ≤ 512", lambda i: i["n"] <= 512),))
    res = run_claim(claim, Context()).checks[0]
    assert res.status is Status.ERROR and "encoding error" in res.note and "1024" in res.note


def test_inconclusive_when_growth_is_not_ruled_out() -> None:
    # bounded in mean but so noisy that neither the margin nor the exponent bound decide
    def noisy(p: dict[str, Any], rng: np.random.Generator) -> float:
        return float(np.exp(rng.standard_normal()))

    res = run_claim(planted(noisy, statistic="median"), Context()).checks[0]
    assert res.status is Status.INCONCLUSIVE and "inconclusive" in res.note


def test_counterexample_report(tmp_path: Path) -> None:
    out = run_claim(planted(power_growth, ident="planted.power"), Context(), report_dir=tmp_path)
    assert out.status is Status.COUNTEREXAMPLE and out.counterexample is not None
    res = out.checks[0]
    assert res.violation is not None and "no absolute constant" in res.violation.description
    assert "trend test" in res.violation.precision_note
    assert res.violation.instance == {"n": 1024, "seed": get_profile("quick").seed}
    text = Path(out.counterexample["report"]).read_text("utf-8")
    exp = f"{res.constant['exponent']:.6g}"
    for needle in (
        "Counterexample to `planted.power`",
        "| fit | 16 |",
        "| held out | 1024 |",
        exp,
        "no absolute",
    ):
        assert needle in text, needle
    inst, meta = read_counterexample(out.counterexample["instance"])
    assert inst["n"] == 1024 and meta["check"] == "constant"


def test_module_docstring_example() -> None:
    failed, tried = doctest.testmod(constant_mod, verbose=False)
    assert tried > 0 and failed == 0
