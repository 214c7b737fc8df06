"""Pieces of the hunt (issue 18): layout, size and kind moves, plateaus, shrinking, guards."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from verifythm import Claim, Comparison, ExactCheck, Source
from verifythm.search import moves
from verifythm.search.guard import EvaluationTimeout, time_guard
from verifythm.search.layout import Layout
from verifythm.search.niches import bucket, merge_explored, region_sentence


def _linsgd_like(rng: np.random.Generator, k: int) -> list[dict]:
    out = []
    for _ in range(k):
        n, d = int(rng.integers(2, 6)), int(rng.integers(1, 4))
        G = rng.standard_normal((n, d))
        out.append(
            {
                "gradients": G,
                "hessians": np.einsum("ni,nj->nij", G, G),
                "W": np.eye(d),
                "eta": 0.1,
                "B": int(rng.integers(1, n + 1)),
            }
        )
    return out


def test_layout_learns_roles_couplings_and_derived_stacks():
    seeds = _linsgd_like(np.random.default_rng(0), 30)
    lay = Layout.learn(seeds)
    n_group = lay.labels.index("n")
    assert ("gradients", 0) in lay.groups[n_group] and ("hessians", 0) in lay.groups[n_group]
    d_group = lay.labels.index("d")
    assert {("W", 0), ("W", 1), ("hessians", 1), ("hessians", 2), ("gradients", 1)} <= set(
        lay.groups[d_group]
    )
    assert lay.bounded["B"] == (n_group, 0)
    assert lay.derived == {"hessians": ("gradients", False)}


def test_growth_moves_keep_shapes_couplings_and_psd():
    rng = np.random.default_rng(1)
    seeds = _linsgd_like(rng, 30)
    lay = Layout.learn(seeds)
    inst = seeds[0]
    got = list(moves.member_moves(inst, lay, rng, "gaussian")) + list(
        moves.batch_moves(inst, lay, rng, "gaussian")
    )
    assert any("perturbed copies" in d for d, _, _ in got) and any(
        "worst direction" in d or "along the" in d for d, _, _ in got
    )
    assert any("embedded" in d for d, _, _ in got) and any("extended" in d for d, _, _ in got)
    grew = False
    for _, m, _ in got:
        n, d = m["gradients"].shape
        grew |= n > inst["gradients"].shape[0]
        assert m["hessians"].shape == (n, d, d) and m["W"].shape == (d, d)
        assert 1 <= int(m["B"]) <= n
        np.testing.assert_allclose(m["hessians"], np.einsum("ni,nj->nij", m["gradients"], m["gradients"]))
    assert grew


def test_kind_moves_use_the_family_vocabulary():
    from verifythm.strategies.families import FAMILY_KINDS

    rng = np.random.default_rng(2)
    seeds = [{"H": np.stack([np.eye(3)] * 4), "eta": 0.5}]
    lay = Layout.learn(seeds)
    got = list(moves.kind_moves(seeds[0], lay, rng))
    assert {k for _, _, k in got} == set(FAMILY_KINDS)
    for _, m, _ in got:
        assert m["H"].shape == (4, 3, 3)
        assert np.linalg.eigvalsh(m["H"]).min() >= -1e-9
        assert np.isclose(np.linalg.eigvalsh(m["H"].mean(axis=0))[-1], 1.0)  # rescaled to λ₁


def test_scale_moves_are_log_uniform_and_wide():
    rng = np.random.default_rng(3)
    inst = {"H": np.eye(2), "eta": 0.5}
    factors = [
        float(m["H"][0, 0])
        for _ in range(200)
        for d, m, _ in moves.scale_moves(inst, rng)
        if d.startswith("H ×")
    ]
    logs = np.log10(factors)
    assert logs.min() < -4 and logs.max() > 4 and abs(np.median(logs)) < 1.5


def _identity_claim() -> Claim:
    def conclusion(inst):
        s = float(np.sum(np.asarray(inst["x"]) ** 2)) + 1.0
        return Comparison(s, s, "<=", "‖x‖² + 1", "‖x‖² + 1")

    return Claim(
        id="hunt.plateau.identity",
        title="an identity: ratio exactly 1 everywhere",
        source=Source("wu2022alignment", "plateau test"),
        statement="$a\\le a$.",
        conclusion=conclusion,
        checks=(ExactCheck("exact", lambda rng, k: [{"x": rng.standard_normal(3)} for _ in range(k)]),),
    )


def test_flat_objective_is_detected_and_left():
    from verifythm.search.hunt import hunt

    res = hunt(_identity_claim(), max_evaluations=600)
    assert not res.found
    assert res.explored["flat_structures"] > 0 and res.explored["restarts"] > 0
    # after restarts, the search went elsewhere: sizes beyond the seeds' length 3
    assert max(sh["max"][0] for sh in res.explored["shapes"].values()) > 3


def test_shrinking_says_why_it_stops():
    from test_hunt_sizes import SIZE8

    from verifythm.search.shrink import shrink

    rng = np.random.default_rng(4)
    inst = {"G": rng.standard_normal((13, 3)), "B": 5}
    lay = Layout.learn([s for s in SIZE8.checks[0].generate(rng, 20)])
    res = shrink(SIZE8, inst, 20.0, lay)
    assert res.instance["G"].shape == (8, 1) and int(res.instance["B"]) == 1
    assert "n: 8 → 7 no longer violates" in res.why_not_smaller


def test_time_guard_interrupts_worker_threads():
    def busy(_):
        try:
            with time_guard(0.2):
                t = time.perf_counter()
                while time.perf_counter() - t < 3.0:
                    pass
            return "finished"
        except EvaluationTimeout:
            return "interrupted"

    def quick(_):
        for _ in range(500):
            with time_guard(0.3):
                pass
        time.sleep(0.5)  # a cleared interrupt must not fire after the block
        return "finished"

    t0 = time.perf_counter()
    with ThreadPoolExecutor(2) as ex:
        assert list(ex.map(busy, range(2))) == ["interrupted"] * 2
        assert list(ex.map(quick, range(2))) == ["finished"] * 2
    assert time.perf_counter() - t0 < 2.5


def _swallows_first_interrupt(_: object = None) -> tuple[int, float]:
    """A block whose first interrupt is lost (as when it lands in a finaliser, where Python
    prints it as "ignored"); the guard must still cut it off, by repeating the interrupt."""
    t, lost = time.perf_counter(), 0
    try:
        with time_guard(0.2):
            while time.perf_counter() - t < 5.0:
                try:
                    while time.perf_counter() - t < 5.0:
                        pass
                except EvaluationTimeout:
                    lost += 1
                    if lost > 1:
                        raise
    except EvaluationTimeout:
        pass
    return lost, time.perf_counter() - t


def test_time_guard_repeats_a_lost_interrupt():
    lost, took = _swallows_first_interrupt()
    assert lost == 2 and took < 1.0
    with ThreadPoolExecutor(2) as ex:
        for lost, took in ex.map(_swallows_first_interrupt, range(2)):
            assert lost == 2 and took < 1.0
    t = time.perf_counter()
    while time.perf_counter() - t < 0.5:  # no stray interrupt once the guards are left
        pass


def test_time_guard_holds_back_inside_a_finaliser() -> None:
    """An alarm that would land in a finaliser (printed as "ignored", and under pytest a failure
    of the running test when it lands in the hook that reports it) waits for the next repeat."""

    class SlowToDie:
        def __del__(self) -> None:
            t = time.perf_counter()
            while time.perf_counter() - t < 0.5:
                pass

    dropped: list[object] = []
    hook, sys.unraisablehook = sys.unraisablehook, dropped.append
    t0 = time.perf_counter()
    try:
        with pytest.raises(EvaluationTimeout), time_guard(0.1):
            SlowToDie()  # dropped at once: its finaliser runs here, past the limit
            while time.perf_counter() - t0 < 5.0:
                pass
    finally:
        sys.unraisablehook = hook
    assert dropped == []  # nothing raised into the finaliser
    assert time.perf_counter() - t0 < 1.5


_AFTER_WORKER_GUARDS = """
import sys, threading, time
from concurrent.futures import ThreadPoolExecutor
from verifythm.search.guard import EvaluationTimeout, time_guard
def busy(_):
    try:
        with time_guard(0.1):
            t = time.perf_counter()
            while time.perf_counter() - t < 2.0:
                pass
    except EvaluationTimeout:
        return True
    return False
with ThreadPoolExecutor(2) as ex:
    assert all(ex.map(busy, range(2)))
def f(k):
    return k + 1
sys.settrace(lambda frame, event, arg: None)  # as Hypothesis does while it shrinks
t = time.perf_counter()
for k in range(20000):
    f(k)
sys.settrace(None)
print(time.perf_counter() - t)
"""


def test_interpreter_is_unharmed_after_worker_guards_fire():
    """Regression: clearing a pending interrupt with ``PyThreadState_SetAsyncExc(tid, NULL)``
    left CPython 3.11's async-exception flag set for good; traced code then spun for minutes
    (a later ``hypothesis.find`` never finished).  Run in a fresh process, with a timeout."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", _AFTER_WORKER_GUARDS], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert float(proc.stdout.strip()) < 5.0


def test_niche_helpers():
    assert [bucket(m) for m in (1, 2, 3, 4, 5, 8, 9)] == ["1", "2", "3–4", "3–4", "5–8", "5–8", "9–16"]
    a = {
        "evaluations": 3,
        "feasible": 2,
        "sizes": {"n": [2, 6]},
        "scalars": {"B": [1, 4]},
        "kinds": {"seed": 2},
        "niches": [
            {
                "sizes": "n 5–8",
                "kind": "seed",
                "evaluations": 3,
                "feasible": 2,
                "best_ratio": 0.5,
                "best_relative_slack": 0.5,
            }
        ],
    }
    b = {
        "evaluations": 5,
        "feasible": 5,
        "sizes": {"n": [3, 12]},
        "scalars": {"B": [1, 9]},
        "kinds": {"gaussian": 5},
        "niches": [
            {
                "sizes": "n 5–8",
                "kind": "seed",
                "evaluations": 5,
                "feasible": 5,
                "best_ratio": 0.9,
                "best_relative_slack": 0.1,
            }
        ],
    }
    m = merge_explored([a, None, b])
    assert m["sizes"]["n"] == [2, 12] and m["evaluations"] == 8
    assert m["niches"][0]["best_ratio"] == 0.9 and m["niches"][0]["evaluations"] == 8
    assert region_sentence(m).startswith("n ∈ [2, 12], B ∈ [1, 9]")
    assert region_sentence(None) == "no instance met the hypotheses"


@pytest.mark.parametrize("bad", [0, -3, 2.5])
def test_max_evaluations_is_validated(bad):
    from verifythm.search.hunt import hunt

    with pytest.raises(ValueError, match="max_evaluations"):
        hunt(_identity_claim(), max_evaluations=bad)


def test_structured_moves_skip_empty_arrays():
    """Regression: an empty 1-d key (wang2023.eq6's ``aux`` for most model kinds) crashed the
    'one coordinate' move with an argmax of an empty sequence, so the hunt of that claim raised."""
    import numpy as np

    from verifythm.search.space import structured_moves

    base = {"aux": np.zeros(0), "x": np.array([1.0, -2.0]), "eta": 0.5}
    moves = list(structured_moves(base))
    assert moves and all(np.asarray(m["aux"]).size == 0 for _, m in moves)
