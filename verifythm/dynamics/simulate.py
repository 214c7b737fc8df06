r"""Monte Carlo simulation of linearized SGD, vectorised over independent trajectories.

Each step draws, independently for every trajectory, a batch under the exact sampling
scheme and applies :math:`\hat J = I - \eta\hat H` with
:math:`\hat H = \sum_i\omega_iH_i` (weights :math:`\omega` from :func:`batch_weights`).
Work happens in the reduced coordinates of :class:`~verifythm.dynamics.family.Family`
(exactly equivalent dynamics; rank-one families cost :math:`O(nr)` per trajectory-step).

Used for what second moments cannot give (first moments such as
:math:`\mathbb E\|\hat J_k\cdots\hat J_1\|_2`, quantiles, almost-sure behaviour) and as a
cross-check of the exact engine; :func:`dexter_protocol` reproduces the divergence test of
dexter2024precise §5.1.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from verifythm.dynamics.family import Family
from verifythm.dynamics.moments import NoiseModel, check_learning_rate
from verifythm.dynamics.sampling import Sampling, check_batch_size, parse_sampling
from verifythm.dynamics.scaling import ldexp_array, scaled_rate
from verifythm.linalg.psd import Array
from verifythm.linalg.validate import check_count


def batch_weights(
    rng: np.random.Generator, sampling: Sampling | str, n: int, batch_size: int, k: int
) -> Array:
    r"""Weights :math:`\omega\in\mathbb R^{k\times n}` of ``k`` independent mini-batches.

    :math:`\hat H = \sum_i\omega_iH_i`: with replacement :math:`\omega_i =
    \#\{b: i_b = i\}/B`; without replacement :math:`\omega_i = [i\in S]/B` for a uniform
    ``B``-subset; Bernoulli :math:`\omega_i = x_i/B`, :math:`x_i\sim\mathrm{Bern}(B/n)`
    independent; GD :math:`\omega_i = 1/n`.
    """
    s = parse_sampling(sampling)
    k = check_count(k, "k")
    if s is Sampling.GD:
        return np.full((k, n), 1.0 / n)
    B = check_batch_size(batch_size, n)
    if s is Sampling.WITH_REPLACEMENT:
        idx = rng.integers(0, n, size=(k, B))
        w = np.zeros((k, n))
        np.add.at(w, (np.repeat(np.arange(k), B), idx.ravel()), 1.0)
        return w / B
    if s is Sampling.WITHOUT_REPLACEMENT:
        keys = rng.random((k, n))
        if B == n:
            return np.full((k, n), 1.0 / B)
        chosen = np.argpartition(keys, B - 1, axis=1)[:, :B]
        w = np.zeros((k, n))
        np.put_along_axis(w, chosen, 1.0 / B, axis=1)
        return w
    return (rng.random((k, n)) < B / n) / B


@dataclass(frozen=True)
class SimulationResult:
    r"""Trajectories of linearized SGD in reduced coordinates.

    Attributes
    ----------
    sq_norms
        :math:`\|y_t\|^2` per trajectory and step, shape ``(k, steps + 1)`` (the moving
        part of :math:`w_t`; the frozen part in :math:`\ker H` never changes).
    losses
        :math:`L(w_t) = \frac12 y_t^THy_t`, shape ``(k, steps + 1)``.
    final
        :math:`y_{\text{steps}}`, shape ``(k, r)``.
    """

    sq_norms: Array
    losses: Array
    final: Array

    def mean_sq_norm(self) -> tuple[Array, Array]:
        r"""Sample mean of :math:`\|y_t\|^2` and its standard error, per step."""
        k = self.sq_norms.shape[0]
        m = self.sq_norms.mean(axis=0)
        se = self.sq_norms.std(axis=0, ddof=1) / math.sqrt(k) if k > 1 else np.full_like(m, np.inf)
        return m, se


def simulate(
    noise: NoiseModel,
    eta: float,
    steps: int,
    y0: Array,
    *,
    trajectories: int = 1000,
    rng: np.random.Generator,
    chunk: int = 4096,
) -> SimulationResult:
    r"""Run ``trajectories`` independent copies of linearized SGD from ``y0`` for ``steps`` steps.

    Parameters
    ----------
    noise
        Family, scheme and batch size.
    eta
        Learning rate.
    steps
        Number of steps.
    y0
        Start in reduced coordinates (see ``Family.reduce_vector``/``reduce_residuals``),
        shape ``(r,)``, or one start per trajectory ``(trajectories, r)``.
    trajectories
        Number of independent trajectories.
    rng
        Random generator (the caller fixes the seed).
    chunk
        Trajectories simulated at once (memory bound).
    """
    e = check_learning_rate(eta)
    steps = check_count(steps, "steps", minimum=0)
    k = check_count(trajectories, "trajectories")
    fam = noise.family
    # ηĤ_t = (η2^x)(Ĥ_t/2^x): step with the normalised twin, where ηĤ neither under- nor overflows
    twin, x = fam.normalized()
    e_hat = scaled_rate(e, x)
    Y0 = np.asarray(y0, dtype=np.float64)
    if Y0.ndim == 1:
        Y0 = np.broadcast_to(Y0, (k, Y0.shape[0]))
    if Y0.shape != (k, fam.rank):
        raise ValueError(f"y0: expected shape ({fam.rank},) or ({k}, {fam.rank}), got {np.shape(y0)}")
    sq = np.empty((k, steps + 1))
    loss = np.empty((k, steps + 1))
    final = np.empty((k, fam.rank))
    for s in range(0, k, chunk):
        Y = np.array(Y0[s : s + chunk])
        m = Y.shape[0]
        sq[s : s + m, 0] = np.einsum("ka,ka->k", Y, Y)
        loss[s : s + m, 0] = _loss(twin, Y, x)
        for t in range(1, steps + 1):
            w = batch_weights(rng, noise.sampling, fam.n, noise.batch_size, m)
            with np.errstate(over="ignore", invalid="ignore"):
                Y = Y - e_hat * twin.apply_batch(w, Y)
            sq[s : s + m, t] = np.einsum("ka,ka->k", Y, Y)
            loss[s : s + m, t] = _loss(twin, Y, x)
        final[s : s + m] = Y
    return SimulationResult(sq, loss, final)


def _loss(twin: Family, Y: Array, x: int) -> Array:
    r""":math:`L = \frac12y^THy = 2^x\cdot\frac12y^T\hat Hy` per row (``H`` is diagonal when reduced)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return ldexp_array(0.5 * np.einsum("ka,a,ka->k", Y, twin.eigenvalues, Y), x)


def simulate_products(
    noise: NoiseModel,
    eta: float,
    steps: int,
    *,
    trajectories: int = 1000,
    rng: np.random.Generator,
    norm: str = "2",
) -> Array:
    r"""Norms of the random products :math:`\hat J_t\cdots\hat J_1` (reduced space), shape ``(k, steps+1)``.

    ``norm="2"`` gives the spectral norm (the first-moment quantity
    :math:`\mathbb E\|\hat J_k\cdots\hat J_1\|_2` of dexter2024precise, Theorem 1), ``"fro2"``
    the squared Frobenius norm (whose mean is :math:`\operatorname{tr}\mathcal T^t(I)`).
    """
    if norm not in ("2", "fro2"):
        raise ValueError(f"norm: expected '2' or 'fro2', got {norm!r}")
    e = check_learning_rate(eta)
    steps = check_count(steps, "steps", minimum=0)
    k = check_count(trajectories, "trajectories")
    fam, x = noise.family.normalized()
    e = scaled_rate(e, x)  # η Ĥ_t is scale-free: step with the normalised twin
    r = fam.rank
    P = np.broadcast_to(np.eye(r), (k, r, r)).copy()
    measure: Callable[[Array], Array] = (
        (lambda X: np.linalg.norm(X, ord=2, axis=(1, 2)))
        if norm == "2"
        else (lambda X: np.sum(X * X, axis=(1, 2)))
    )
    out = np.empty((k, steps + 1))
    out[:, 0] = measure(P) if r else (1.0 if norm == "2" else 0.0)
    for t in range(1, steps + 1):
        w = batch_weights(rng, noise.sampling, fam.n, noise.batch_size, k)
        Hb = fam.batch_hessians(w)
        P = P - e * np.matmul(Hb, P)
        out[:, t] = measure(P) if r else out[:, 0]
    return out


@dataclass(frozen=True)
class ProtocolResult:
    """Outcome of the divergence protocol of dexter2024precise §5.1.

    ``label`` is ``"divergent"`` when a strict majority of repetitions grew by ``factor``,
    ``"convergent"`` when a strict majority shrank by ``factor``, else ``"undecided"``;
    ``outcomes`` holds one of ``+1`` (grew), ``-1`` (shrank), ``0`` (neither) per repetition;
    ``steps`` the steps each repetition ran.
    """

    label: str
    outcomes: tuple[int, ...]
    steps: tuple[int, ...]


def dexter_protocol(
    noise: NoiseModel,
    eta: float,
    *,
    rng: np.random.Generator,
    max_steps: int = 1000,
    repetitions: int = 5,
    factor: float = 1000.0,
) -> ProtocolResult:
    r"""The Monte Carlo divergence test of dexter2024precise §5.1.

    Each repetition starts from a random unit vector in :math:`\operatorname{range}H`
    (the frozen part in :math:`\ker H` would mask both growth and decay) and runs
    linearized SGD for at most ``max_steps`` steps, stopping as soon as the norm has grown
    or shrunk by ``factor``.  Repetitions run together, vectorised.
    """
    e = check_learning_rate(eta)
    reps = check_count(repetitions, "repetitions")
    max_steps = check_count(max_steps, "max_steps")
    if not factor > 1:
        raise ValueError(f"factor: expected > 1, got {factor!r}")
    fam, x = noise.family.normalized()
    e = scaled_rate(e, x)  # η Ĥ_t is scale-free: step with the normalised twin
    Y = rng.standard_normal((reps, fam.rank))
    Y /= np.linalg.norm(Y, axis=1, keepdims=True)
    hi, lo = factor**2, factor**-2
    outcome = np.zeros(reps, dtype=int)
    ran = np.full(reps, max_steps)
    active = np.ones(reps, dtype=bool)
    for t in range(1, max_steps + 1):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        w = batch_weights(rng, noise.sampling, fam.n, noise.batch_size, idx.size)
        with np.errstate(over="ignore", invalid="ignore"):
            Y[idx] = Y[idx] - e * fam.apply_batch(w, Y[idx])
        sq = np.einsum("ka,ka->k", Y[idx], Y[idx])
        up, down = idx[sq >= hi], idx[sq <= lo]
        outcome[up], outcome[down] = 1, -1
        ran[up], ran[down] = t, t
        active[up] = active[down] = False
        if not np.all(np.isfinite(Y[active])):
            bad = idx[~np.isfinite(sq)]
            outcome[bad], ran[bad], active[bad] = 1, t, False
    half = reps / 2
    if np.sum(outcome == 1) > half:
        label = "divergent"
    elif np.sum(outcome == -1) > half:
        label = "convergent"
    else:
        label = "undecided"
    return ProtocolResult(label, tuple(int(x) for x in outcome), tuple(int(x) for x in ran))
