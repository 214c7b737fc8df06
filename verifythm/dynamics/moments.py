r"""The second-moment operator of linearized SGD and its exact consequences.

For i.i.d. Jacobians :math:`\hat J_t = I - \eta\hat H_t` the second moment
:math:`W_t = \mathbb E[w_tw_t^T]` evolves linearly, :math:`W_{t+1} = \mathcal T(W_t)` with

.. math::

   \mathcal T(W) = \mathbb E[\hat JW\hat J] = JWJ + \eta^2 c_s N_s(W),\qquad J = I-\eta H,

:math:`N_s(W) = \frac1n\sum_iH_iWH_i - [s\ne\text{bernoulli}]\,HWH` and :math:`c_s` from
:func:`~verifythm.dynamics.sampling.noise_constant` (``docs/guides/moment_engine.md``; the Bernoulli case with
:math:`W = I` is the base case in the proof of Lemma 4.1 of dexter2024precise,
Appendix A.2; every scheme is proved by batch enumeration in the catalogue module
``theorems/moment_engine/operators.py``).

It is convenient to split :math:`\mathcal T = \mathcal I - \eta\mathcal A + \eta^2\mathcal Q`
with :math:`\mathcal A(W) = HW + WH` and
:math:`\mathcal Q(W) = \mathbb E[\hat HW\hat H] = HWH + c_sN_s(W)`.  Both are self-adjoint
for :math:`\langle X, Y\rangle = \operatorname{tr}(X^TY)`; :math:`\mathcal A` is positive
definite on symmetric matrices when :math:`H\succ 0` (true after the reduction of
:mod:`verifythm.dynamics.family`) and :math:`\mathcal Q` is positive semi-definite since
:math:`\langle W,\mathcal Q(W)\rangle = \mathbb E\|\hat H^{1/2}W\hat H^{1/2}\|_F^2`.

Exact consequences (all in reduced coordinates, see :class:`~verifythm.dynamics.family.Family`):

* :math:`\mathbb E[L(w_t)] = \frac12\operatorname{tr}(HW_t)` for the quadratic model
  :math:`L(w) = \frac12 w^THw` around the minimum;
* :math:`\mathbb E\|\hat J_t\cdots\hat J_1\|_F^2 = \operatorname{tr}\mathcal T^t(I)`
  (plus :math:`\dim - r` for the frozen directions of the full space).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import cast

import numpy as np
from numpy.typing import ArrayLike

from verifythm.dynamics.family import Family, as_family
from verifythm.dynamics.sampling import Sampling, noise_constant, parse_sampling
from verifythm.dynamics.scaling import ldexp_array, pow2_exponent, scaled_rate
from verifythm.linalg.psd import Array, as_finite
from verifythm.linalg.validate import check_int, check_positive


def check_learning_rate(eta: float, name: str = "eta") -> float:
    """Validate a finite learning rate ``eta > 0`` (a real number: no bool, no string)."""
    return check_positive(
        eta,
        name,
        expected="expected a real learning rate",
        invalid="learning rate must be finite and > 0",
        real_only=True,
    )


@dataclass(frozen=True)
class NoiseModel:
    r"""A family with a sampling scheme and batch size: the ingredients of :math:`\mathcal Q`.

    Parameters
    ----------
    family
        The reduced family :math:`\{H_i\}`.
    sampling
        The sampling scheme ``s``.
    batch_size
        ``B`` (ignored for ``gd``, where it is reported as ``n``).

    Attributes
    ----------
    c
        The noise constant :math:`c_s` (computed from the three fields).
    """

    family: Family
    sampling: Sampling
    batch_size: int
    c: float = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        # the noise constant c_s, fixed by (sampling, n, B): computed once
        object.__setattr__(self, "c", float(noise_constant(self.sampling, self.family.n, self.batch_size)))

    @classmethod
    def build(
        cls,
        family: Family | None = None,
        batch_size: int | None = None,
        sampling: Sampling | str = Sampling.WITH_REPLACEMENT,
        *,
        hessians: ArrayLike | None = None,
        gradients: ArrayLike | None = None,
    ) -> NoiseModel:
        """Validate and assemble (``batch_size`` is required except for ``gd``)."""
        fam = as_family(family, hessians=hessians, gradients=gradients)
        s = parse_sampling(sampling)
        if s is Sampling.GD:
            B = fam.n
        else:
            if batch_size is None:
                raise ValueError(f"batch_size: required for sampling {s.value!r}")
            noise_constant(s, fam.n, batch_size)  # validates 1 <= B <= n
            B = int(batch_size)
        return cls(fam, s, B)

    def normalized(self) -> tuple[NoiseModel, int]:
        r"""The same scheme on the normalised family :math:`\{H_i/2^k\}`, and ``k``.

        :math:`\mathcal T_\eta` of this model equals :math:`\mathcal T_{\eta2^k}` of the
        returned one; the engine computes there, where nothing under- or overflows.
        """
        return self._normalized

    @functools.cached_property
    def _normalized(self) -> tuple[NoiseModel, int]:
        twin, k = self.family.normalized()
        if k == 0:
            return self, 0
        return NoiseModel(twin, self.sampling, self.batch_size), k

    def Q(self, W: Array) -> Array:
        r""":math:`\mathcal Q(W) = \mathbb E[\hat HW\hat H] = HWH + c_sN_s(W)` (absolute scale)."""
        twin, k = self.family.normalized()
        return ldexp_array(self._q(twin, W), 2 * k)  # computed at unit scale: no underflow

    def A(self, W: Array) -> Array:
        r""":math:`\mathcal A(W) = HW + WH` (absolute scale)."""
        twin, k = self.family.normalized()
        return ldexp_array(self._a(twin, W), k)

    def _q(self, fam: Family, W: Array) -> Array:
        h = fam.eigenvalues  # H is diagonal in reduced coordinates
        HWH = h[:, None] * W * h[None, :]
        c = self.c
        if c == 0.0:
            return HWH
        S = fam.sandwich_mean(W)
        if self.sampling is Sampling.BERNOULLI:
            return HWH + c * S
        return (1.0 - c) * HWH + c * S

    @staticmethod
    def _a(fam: Family, W: Array) -> Array:
        h = fam.eigenvalues
        return (h[:, None] + h[None, :]) * W


@dataclass(frozen=True)
class MomentOperator:
    r"""The operator :math:`\mathcal T_\eta(W) = \mathbb E[\hat JW\hat J]` (matrix-free).

    Build with :func:`moment_operator`.
    """

    noise: NoiseModel
    eta: float

    @property
    def family(self) -> Family:
        """The reduced family."""
        return self.noise.family

    @property
    def r(self) -> int:
        r"""Reduced dimension :math:`r = \operatorname{rank} H`."""
        return self.family.rank

    def __call__(self, W: ArrayLike) -> Array:
        r"""Apply :math:`\mathcal T` to an ``r × r`` matrix ``W``.

        Computed as :math:`\mathcal T_{\hat\eta}` of the normalised family (:math:`\hat\eta =
        \eta2^k`) on :math:`W/2^m` (:math:`\max|W|/2^m\in[1,2)`), then scaled back by
        :math:`2^m`: exact scalings, so the result is the same at every scale of the family and
        of ``W``, and an astronomically large result is ``±inf``, never NaN.
        """
        Wa = np.asarray(W, dtype=np.float64)
        if Wa.shape != (self.r, self.r):
            raise ValueError(f"W: expected shape ({self.r}, {self.r}), got {Wa.shape}")
        noise, k = self.noise.normalized()
        return _apply_hat(noise, scaled_rate(self.eta, k), Wa)

    def dense(self, *, max_dim: int = 4096) -> Array:
        r"""The ``r² × r²`` matrix of :math:`\mathcal T` on row-major ``vec(W)`` (small reference only).

        Raises
        ------
        ValueError
            If ``r²`` exceeds ``max_dim`` (this is a reference, not the engine).
        """
        m = self.r * self.r
        if m > max_dim:
            raise ValueError(f"max_dim: the dense operator would be {m} × {m}; raise max_dim to force it")
        cols = []
        for k in range(m):
            E = np.zeros(m)
            E[k] = 1.0
            cols.append(self(E.reshape(self.r, self.r)).ravel())
        return np.array(cols).T

    def iterate(self, W0: Array, steps: int) -> list[Array]:
        r"""``[W_0, T(W_0), …, T^steps(W_0)]``."""
        out = [np.asarray(W0, dtype=np.float64)]
        for _ in range(int(steps)):
            out.append(self(out[-1]))
        return out


def _apply_hat(noise: NoiseModel, e: float, W: Array) -> Array:
    r""":math:`\mathcal T_e(W)` for a normalised ``noise`` (:math:`\lambda_1\in[1,4)`), NaN-free."""
    m = float(np.max(np.abs(W))) if W.size else 0.0
    if m == 0.0 or not np.isfinite(m):
        if m == 0.0:
            return np.zeros_like(W)
        raise ValueError("W: contains NaN or infinite entries")
    j = pow2_exponent(m)
    X = ldexp_array(W, -j)  # |X| in [1, 2), |Ĥ_i| moderate: the direct form cannot overflow for e <= 2^400
    fam = noise.family
    if e <= 2.0**400:
        out = X - e * noise._a(fam, X) + e * e * noise._q(fam, X)
    else:  # e²(Q − A/e + I/e²): the bracket is moderate, only the final products may overflow
        with np.errstate(over="ignore"):
            out = e * (e * (noise._q(fam, X) - noise._a(fam, X) / e + (X / e) / e))
    return ldexp_array(out, j)


def moment_operator(
    family: Family | None = None,
    eta: float = 1.0,
    batch_size: int | None = None,
    sampling: Sampling | str = Sampling.WITH_REPLACEMENT,
    *,
    hessians: ArrayLike | None = None,
    gradients: ArrayLike | None = None,
) -> MomentOperator:
    r"""Build :math:`\mathcal T_\eta` for a family, learning rate, batch size and scheme.

    Parameters
    ----------
    family, hessians, gradients
        Exactly one: a :class:`Family`, per-sample Hessians ``(n, d, d)``, or per-sample
        gradients ``(n, p)`` (rank-one :math:`H_i = g_ig_i^T`).
    eta
        Learning rate :math:`\eta > 0`.
    batch_size
        :math:`B\in[1, n]` (not needed for ``gd``).
    sampling
        ``with-replacement``, ``without-replacement``, ``bernoulli`` or ``gd``.
    """
    return MomentOperator(
        NoiseModel.build(family, batch_size, sampling, hessians=hessians, gradients=gradients),
        check_learning_rate(eta),
    )


@dataclass(frozen=True)
class MomentTrajectory:
    r"""Exact second-moment quantities for ``t = 0, …, steps``.

    Attributes
    ----------
    expected_loss
        :math:`\mathbb E[L(w_t)] = \frac12\operatorname{tr}(HW_t)` from the given start
        (``None`` if no start was given).
    product_fro2
        :math:`\mathbb E\|\hat J_t\cdots\hat J_1\|_F^2` in the ambient dimension.
    second_moment_trace
        :math:`\mathbb E\|w_t - \Pi w_0\|^2 = \operatorname{tr}W_t` of the moving part
        (``None`` if no start was given).
    """

    expected_loss: Array | None
    product_fro2: Array
    second_moment_trace: Array | None


def moment_trajectory(
    op: MomentOperator,
    steps: int,
    *,
    w0: ArrayLike | None = None,
    z0: ArrayLike | None = None,
) -> MomentTrajectory:
    r"""Exact :math:`\mathbb E[L(w_t)]` and :math:`\mathbb E\|\hat J_t\cdots\hat J_1\|_F^2`.

    Parameters
    ----------
    op
        The moment operator.
    steps
        Number of steps ``t_max`` (results have ``t_max + 1`` entries).
    w0
        Initial point (dense families; ambient coordinates).
    z0
        Initial residuals :math:`z_0 = Q^Tw_0` (rank-one families).
    """
    check_int(steps, "steps", low=0, expected="expected a non-negative integer")
    fam = op.family
    twin, k = fam.normalized()
    noise, e = op.noise.normalized()[0], scaled_rate(op.eta, k)  # T_η(H) = T_{η2^k}(H/2^k)
    frozen = fam.dim - fam.rank
    steps = int(steps)
    fro = [float(frozen + fam.rank)]
    W: Array | None = np.eye(fam.rank)
    for _ in range(steps):
        W = _step(noise, e, W)
        fro.append(frozen + float(np.trace(W)) if W is not None else math.inf)
    loss = trace = None
    if w0 is not None or z0 is not None:
        if w0 is not None and z0 is not None:
            raise ValueError("w0: give either w0 or z0, not both")
        # z0 is not None when w0 is (the test above); the cast says so to the type checker
        y = fam.reduce_vector(w0) if w0 is not None else fam.reduce_residuals(cast(ArrayLike, z0))
        Ws: list[Array | None] = [np.outer(y, y)]
        for _ in range(steps):
            Ws.append(_step(noise, e, Ws[-1]))
        # E[L] = ½tr(HW) = 2^k·½tr(ĤW); W_t is PSD, so an overflowed W_t means +inf for both
        loss = np.array(
            [_ldexp_or_inf(0.5 * float(np.sum(twin.H * Wt)), k) if Wt is not None else math.inf for Wt in Ws]
        )
        trace = np.array([float(np.trace(Wt)) if Wt is not None else math.inf for Wt in Ws])
    return MomentTrajectory(loss, np.array(fro), trace)


def _step(noise: NoiseModel, e: float, W: Array | None) -> Array | None:
    """One exact step; ``None`` once the (PSD) second moment has overflowed float64."""
    if W is None or not np.all(np.isfinite(W)):
        return None
    out = _apply_hat(noise, e, W)
    return out if np.all(np.isfinite(out)) else None


def _ldexp_or_inf(x: float, k: int) -> float:
    with np.errstate(over="ignore", under="ignore"):
        return float(np.ldexp(x, k)) if np.isfinite(x) else math.inf


def as_matrix(W: ArrayLike, r: int, name: str = "W") -> Array:
    """Validate an ``r × r`` finite matrix."""
    a = as_finite(W, name, ndim=2)
    if a.shape != (r, r):
        raise ValueError(f"{name}: expected shape ({r}, {r}), got {a.shape}")
    return a


def enumerated_second_moment(
    hessians: ArrayLike, W: ArrayLike, eta: float, batch_size: int, sampling: Sampling | str
) -> Array:
    r"""Reference :math:`\mathbb E[\hat JW\hat J]` by summing over every batch (small ``n`` only).

    Works in the ambient coordinates of ``hessians`` (``(n, d, d)``), independently of
    :class:`MomentOperator`, so it can check the engine.
    """
    from verifythm.dynamics.sampling import batch_distribution

    Hs = as_finite(hessians, "hessians", ndim=3)
    n, d, _ = Hs.shape
    Wa = as_matrix(W, d)
    e = check_learning_rate(eta)
    out = np.zeros((d, d))
    for p, w in batch_distribution(sampling, n, batch_size):
        J = np.eye(d) - e * np.einsum("i,iab->ab", np.array([float(x) for x in w]), Hs)
        out += float(p) * (J @ Wa @ J)
    return out
