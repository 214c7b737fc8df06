r"""Shared pieces of the planted claims: exact quantities, hypotheses, generators, strategies.

Everything true here is computed by the engine (:mod:`verifythm.dynamics`,
:mod:`verifythm.quantities`), never re-derived: :math:`\eta^*_s(B)` is
:func:`~verifythm.dynamics.critical_learning_rate`, noise constants are
:func:`~verifythm.dynamics.noise_constant`, second moments come from
:func:`~verifythm.dynamics.moment_operator`.

Notation of every module of this package: members :math:`H_1,\dots,H_n` (PSD, ``d × d``),
:math:`H = \frac1n\sum_iH_i`, :math:`\lambda_1 = \lambda_{\max}(H)` with unit top
eigenvector :math:`v`, :math:`a_i = v^TH_iv` (so :math:`\frac1n\sum_ia_i = \lambda_1`),
:math:`s_1^2 = \frac1n\sum_i(a_i-\lambda_1)^2` and :math:`m_1 = \frac1n\sum_ia_i^2`
(the noise along :math:`v`), and :math:`c_s(n, B)` the noise constant of scheme ``s``.

The generators are the researcher's own, at the sizes the guides show (``n ≤ 6``, ``d ≤ 3``,
unit scale).  :func:`wide_instance` is a *plain random sampler* of the same vocabulary over a
much wider region (``n ≤ 12``, ``d ≤ 6``, every family kind, scales ``1e-3 … 1e9``): the
benchmark's baseline at equal budget.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from verifythm import Claim, Hypothesis, Source, Tolerance
from verifythm.dynamics import (
    Family,
    NoiseModel,
    critical_learning_rate,
    moment_operator,
    moment_trajectory,
    noise_constant,
)

SOURCE = Source("wu2022alignment", "planted mistake (benchmark of the counterexample hunt)")
#: η* comes from an eigensolver: a relative tolerance well above its accuracy, far below the slips.
TOL = Tolerance(rtol=1e-7, atol=0.0)
WR, WOR, BERN = "with-replacement", "without-replacement", "bernoulli"

Instance = dict[str, Any]
Generator = Callable[[np.random.Generator, int], list[Instance]]


# -- exact quantities (the engine) ---------------------------------------------------------
def members(inst: Instance, key: str = "H") -> np.ndarray:
    """The members :math:`H_i` as a float ``(n, d, d)`` array."""
    return np.asarray(inst[key], dtype=float)


def batch(inst: Instance) -> int:
    """The batch size ``B`` of an instance."""
    return int(inst["B"])


def mean_hessian(H: np.ndarray) -> np.ndarray:
    """:math:`H = \\frac1n\\sum_iH_i`."""
    return np.mean(H, axis=0)


def lam1(H: np.ndarray) -> float:
    r""":math:`\lambda_1(H)`, the largest eigenvalue of the mean Hessian."""
    return float(np.linalg.eigvalsh(mean_hessian(H))[-1])


def eta_star(H: np.ndarray, B: int, sampling: str) -> float:
    r"""The exact critical learning rate :math:`\eta^*_s(B)` of linearized SGD."""
    return critical_learning_rate(NoiseModel.build(Family.from_hessians(H), B, sampling)).value


def c_s(sampling: str, n: int, B: int) -> float:
    """The noise constant :math:`c_s(n, B)`."""
    return float(noise_constant(sampling, n, B))


def top_direction(H: np.ndarray) -> tuple[float, float, float]:
    r"""``(λ₁, s₁², m₁)``: the top eigenvalue and the variance / second moment of :math:`a_i = v^TH_iv`."""
    w, U = np.linalg.eigh(mean_hessian(H))
    v = U[:, -1]
    a = np.einsum("j,ijk,k->i", v, H, v)
    lam = float(w[-1])
    return lam, float(np.mean((a - lam) ** 2)), float(np.mean(a**2))


def trajectory(H: np.ndarray, B: int, sampling: str, eta: float, w0: np.ndarray, steps: int) -> Any:
    r"""Exact :math:`\mathbb E[L(w_t)]` and :math:`\mathbb E\|w_t\|^2`, ``t ≤ steps``, by the engine.

    Returns ``(loss, sq)`` arrays of length ``steps + 1``; the part of :math:`w_0` in
    :math:`\ker H` never moves, so :math:`\mathbb E\|w_t\|^2` adds its squared norm to the
    engine's :math:`\operatorname{tr}W_t` on :math:`\operatorname{range}H`.
    """
    fam = Family.from_hessians(H)
    op = moment_operator(fam, eta, B, sampling)
    traj = moment_trajectory(op, steps, w0=w0)
    w0 = np.asarray(w0, dtype=float)
    moving = fam.basis.T @ w0 if fam.basis is not None else w0
    frozen = float(w0 @ w0 - moving @ moving)
    return np.asarray(traj.expected_loss), np.asarray(traj.second_moment_trace) + max(frozen, 0.0)


def one_step_gain(H: np.ndarray, B: int, sampling: str, eta: float) -> float:
    r""":math:`\lambda_{\max}(\mathbb E[\hat J^2])`: the largest :math:`\mathbb E\|w_1\|^2/\|w_0\|^2`.

    :math:`\mathbb E[\hat J^2] = \mathcal T_\eta(I)`; on :math:`\ker H` it is the identity.
    """
    fam = Family.from_hessians(H)
    op = moment_operator(fam, eta, B, sampling)
    top = float(np.linalg.eigvalsh(op(np.eye(fam.rank)))[-1]) if fam.rank else 1.0
    return max(top, 1.0) if fam.rank < H.shape[-1] else top


# -- hypotheses ------------------------------------------------------------------------------
def _psd_stack(a: Any) -> bool:
    H = np.asarray(a, dtype=float)
    if H.ndim != 3 or H.shape[0] < 1 or H.shape[1] != H.shape[2] or H.shape[1] < 1:
        return False
    scale = float(np.max(np.abs(H))) or 1.0
    if not np.allclose(H, np.swapaxes(H, 1, 2), rtol=0, atol=1e-12 * scale):
        return False
    return bool(np.linalg.eigvalsh(H).min() >= -1e-10 * scale)


MEMBERS = Hypothesis("members H_i symmetric PSD, shape (n, d, d)", lambda i: _psd_stack(i["H"]))
NONZERO = Hypothesis("H ≠ 0 (λ₁ > 0)", lambda i: lam1(members(i)) > 0)
BATCH = Hypothesis(
    "integer 1 ≤ B ≤ n",
    lambda i: float(i["B"]) == int(i["B"]) and 1 <= int(i["B"]) <= members(i).shape[0],
)
FAMILY_HYPS = (MEMBERS, NONZERO, BATCH)


def fraction(key: str, *, closed: bool = True) -> Hypothesis:
    """``0 < key ≤ 1`` (``< 1`` when ``closed`` is false)."""
    if closed:
        return Hypothesis(f"0 < {key} ≤ 1", lambda i: 0.0 < float(i[key]) <= 1.0)
    return Hypothesis(f"0 < {key} < 1", lambda i: 0.0 < float(i[key]) < 1.0)


# -- the researcher's generators (n ≤ 6, d ≤ 3, unit scale) -------------------------------
def wishart(rng: np.random.Generator, n: int, d: int, rank: int = 2) -> np.ndarray:
    """``n`` Wishart members :math:`A_iA_i^T/\\text{rank}` of rank ``min(rank, d)``."""
    A = rng.standard_normal((n, d, rank))
    return A @ np.swapaxes(A, 1, 2) / rank


def alike(rng: np.random.Generator, n: int, d: int, eps: float = 0.4) -> np.ndarray:
    r"""Members close to one shared Hessian: :math:`H_i = D + \varepsilon u_iu_i^T`, :math:`D\succeq I`.

    With unit :math:`u_i`, :math:`\max_i\lambda_1(H_i)\le(1+\varepsilon)\lambda_1(H)` and the
    spread of :math:`v^TH_iv` is at most :math:`\varepsilon`: little noise, by construction.
    """
    A = rng.standard_normal((d, d + 1))
    U = rng.standard_normal((n, d))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    return np.eye(d) + A @ A.T / (d + 1) + eps * np.einsum("ij,ik->ijk", U, U)


def diagonal(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    """``n`` diagonal members with entries uniform in [0.2, 1] (a commuting family)."""
    return np.einsum("ij,jk->ijk", rng.uniform(0.2, 1.0, (n, d)), np.eye(d))


def families(
    rng: np.random.Generator,
    k: int,
    *,
    n: tuple[int, int] = (3, 6),
    d: tuple[int, int] = (2, 3),
    make: Callable[[np.random.Generator, int, int], np.ndarray] = wishart,
    batch_sizes: Callable[[np.random.Generator, int], int] | None = None,
    extra: Callable[[np.random.Generator, Instance], Instance] | None = None,
) -> list[Instance]:
    """``k`` instances ``{"H", "B"}`` with ``n``, ``d`` uniform in the given ranges."""
    out = []
    for _ in range(k):
        nn = int(rng.integers(n[0], n[1] + 1))
        dd = int(rng.integers(d[0], d[1] + 1))
        B = batch_sizes(rng, nn) if batch_sizes is not None else int(rng.integers(1, nn + 1))
        inst: Instance = {"H": make(rng, nn, dd), "B": B}
        out.append(extra(rng, inst) if extra is not None else inst)
    return out


def family_strategy(
    *,
    n: tuple[int, int] = (3, 6),
    d: tuple[int, int] = (2, 3),
    kinds: tuple[str, ...] = ("wishart",),
    max_b: int | None = None,
) -> Any:
    """Hypothesis strategy of instances ``{"H", "B"}`` from :func:`verifythm.strategies.families`.

    ``B`` is drawn in ``[1, min(n, max_b)]`` (``max_b = None``: every batch size).
    """
    from hypothesis import strategies as st

    from verifythm.strategies import families as fam_strategy

    @st.composite
    def draw(draw: Any) -> Instance:
        H = draw(fam_strategy(kinds, n=st.integers(*n), d=st.integers(*d)))
        top = H.shape[0] if max_b is None else min(H.shape[0], max_b)
        return {"H": H, "B": draw(st.integers(1, top))}

    return draw()


# -- the baseline: a plain random sampler of the same vocabulary ----------------------------
def wide_family(rng: np.random.Generator) -> np.ndarray:
    """A family of a random kind of the one vocabulary, ``n ≤ 12``, ``d ≤ 6``, scale ``1e-3 … 1e9``."""
    from verifythm.strategies import FAMILY_KINDS, random_family

    for _ in range(50):
        kind = str(rng.choice(FAMILY_KINDS))
        n, d = int(rng.integers(1, 13)), int(rng.integers(1, 7))
        try:
            H = np.asarray(random_family(rng, kind, n, d), dtype=float)
        except ValueError:  # a kind infeasible at these sizes (orthogonal with n > d, …)
            continue
        if np.max(np.abs(H)) > 0:
            return H / np.max(np.abs(H)) * 10 ** rng.uniform(-3, 9)
    raise RuntimeError("no feasible family kind in 50 draws")


def wide_instance(rng: np.random.Generator, keys: tuple[str, ...]) -> Instance:
    """Fresh random values for ``keys`` (``H``, ``B``, ``t``, ``u``, ``w0``, ``eta``, ``G``, ``r``)."""
    out: Instance = {}
    if "H" in keys:
        out["H"] = wide_family(rng)
        n, d = out["H"].shape[:2]
    if "G" in keys:
        from verifythm.strategies import RANK_ONE_KINDS, random_family

        for _ in range(50):
            kind = str(rng.choice(RANK_ONE_KINDS))
            n, d = int(rng.integers(2, 13)), int(rng.integers(1, 7))
            try:
                _, G = random_family(rng, kind, n, d, gradients=True)
                break
            except ValueError:
                continue
        out["G"] = np.asarray(G, dtype=float).T * 10 ** rng.uniform(-3, 5)
    if "B" in keys:
        out["B"] = int(rng.integers(1, n + 1))
    for k in ("t", "u"):
        if k in keys:
            out[k] = float(rng.uniform(0.0, 1.0))
    if "w0" in keys:
        out["w0"] = rng.standard_normal(d)
    if "eta" in keys:
        out["eta"] = float(10 ** rng.uniform(-12, 0))
    if "r" in keys:
        out["r"] = rng.standard_normal(n) * 10 ** rng.uniform(-2, 2)
    return out


# -- a planted mistake and its true twin ---------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Planted:
    """A planted false claim, the correct statement it garbles, and a known witness.

    Attributes
    ----------
    false
        The planted (false) claim, as the researcher wrote it, with the researcher's checks.
    twin
        The correct statement on the same instances (must never be flagged).
    witness
        An instance that meets the hypotheses and violates ``false`` (checked by the tests).
    slip
        The real mistake it is modelled on.
    hidden
        Where the violation hides from the researcher's own generators.
    keys
        Instance keys (what :func:`wide_instance` draws for the baseline).
    """

    false: Claim
    twin: Claim
    witness: Instance
    slip: str
    hidden: str
    keys: tuple[str, ...] = ("H", "B")


def planted(
    cid: str,
    *,
    title: str,
    statement: str,
    conclusion: Callable[[Instance], Any],
    twin_conclusion: Callable[[Instance], Any],
    twin_title: str,
    twin_statement: str,
    checks: tuple[Any, ...],
    hypotheses: tuple[Hypothesis, ...] = FAMILY_HYPS,
    twin_hypotheses: tuple[Hypothesis, ...] | None = None,
    witness: Instance,
    slip: str,
    hidden: str,
    keys: tuple[str, ...] = ("H", "B"),
    tolerance: Tolerance = TOL,
) -> Planted:
    """Build the planted claim ``planted.<cid>`` and its twin ``planted.true.<cid>``."""
    false = Claim(
        id=f"planted.{cid}",
        title=f"PLANTED (false: {slip}): {title}",
        source=SOURCE,
        statement=statement,
        hypotheses=hypotheses,
        conclusion=conclusion,
        checks=checks,
        tolerance=tolerance,
    )
    twin = false.variant(
        id=f"planted.true.{cid}",
        title=f"true twin: {twin_title}",
        statement=twin_statement,
        conclusion=twin_conclusion,
        hypotheses=twin_hypotheses if twin_hypotheses is not None else hypotheses,
    )
    return Planted(false, twin, witness, slip, hidden, keys)
