r"""One-call summary of a family of per-sample Hessians or gradients (for ``verifythm quantities``).

:func:`family_summary` returns a :class:`FamilySummary` whose :meth:`~FamilySummary.as_dict`
has exactly the keys of :data:`SUMMARY_KEYS`:

==============  ======================================================================
``n``           number of samples
``dim``         parameter dimension (``d`` for Hessians, ``p`` for gradients)
``lambda_max``  :math:`\lambda_1(H)`, :math:`H = \frac1n\sum_iH_i`
``trace``       :math:`\operatorname{Tr}H`
``frobenius``   :math:`\|H\|_F` (wu2022alignment, Theorem 3.3)
``stable_rank`` :math:`\|H\|_F^2/\|H\|_2^2` (dexter2024precise, §3.2.1)
``coherence``   σ (dexter2024precise, Definition 2)
``mu_inf``      :math:`\inf_\theta\mu(\theta)` (wu2022alignment, Eq. (3))
``mu1_inf``     :math:`\inf_\theta\mu_1(\theta)` (wu2022alignment, §2)
``gamma``       γ (wu2022alignment, Definition 2.1)
``tau``         :math:`\tau(G)` (wu2022alignment, Lemma 2.4)
==============  ======================================================================

With ``gradients`` the family is the linearized square loss at a global minimum:
:math:`H_i = g_ig_i^T`, :math:`H = G`, and the infima are exact over all θ with
:math:`L(\theta)>0` (:mod:`verifythm.quantities.extremes`).  With ``hessians`` only,
μ, μ₁, γ and τ(G) need the per-sample gradients and are ``None``; each ``None``
comes with an entry in :attr:`FamilySummary.notes` saying why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.gram import gram_from_gradients
from verifythm.linalg.psd import Array, as_finite
from verifythm.quantities.alignment import alignment_factors
from verifythm.quantities.coherence import coherence
from verifythm.quantities.extremes import alignment_extremes
from verifythm.quantities.spectral import HessianSpectrum, check_hessians, hessian_spectrum

#: The keys of :meth:`FamilySummary.as_dict`, in order.
SUMMARY_KEYS = (
    "n",
    "dim",
    "lambda_max",
    "trace",
    "frobenius",
    "stable_rank",
    "coherence",
    "mu_inf",
    "mu1_inf",
    "gamma",
    "tau",
)


@dataclass(frozen=True)
class FamilySummary:
    r"""Summary of a Hessian/gradient family: values, notes on missing values, optional point values.

    Attributes
    ----------
    values
        Mapping with exactly the keys :data:`SUMMARY_KEYS` (``None`` where undefined).
    notes
        One line per ``None`` value (``"key: reason"``) and per caveat.
    at_point
        With ``theta`` or ``residuals``: ``{"loss", "mu", "mu1", "mu2"}`` at that point
        (wu2022alignment, Eq. (3)); otherwise ``None``.
    form
        How gradients were reduced: ``"n×n Gram"`` (:math:`K = GG^T`, when :math:`n\le p`),
        ``"p×p"`` (:math:`C = G^TG`, when :math:`p<n`; :mod:`verifythm.quantities.tall`) or
        ``"hessians"``.
    """

    values: dict[str, Any]
    notes: tuple[str, ...] = ()
    at_point: dict[str, float | None] | None = field(default=None)
    form: str = "n×n Gram"

    def as_dict(self) -> dict[str, Any]:
        """The summary as a plain ``dict`` with exactly the keys :data:`SUMMARY_KEYS` (JSON-ready)."""
        return {k: self.values[k] for k in SUMMARY_KEYS}


def _validate_gradients(gradients: ArrayLike) -> np.ndarray:
    g = gradients if isinstance(gradients, np.ndarray) else np.asarray(gradients)
    if g.ndim != 2:
        raise ValueError(f"gradients: expected a 2-d array of shape (n, p), got shape {g.shape}")
    if g.shape[0] == 0 or g.shape[1] == 0:
        raise ValueError(f"gradients: needs n ≥ 1 samples and p ≥ 1 parameters, got shape {g.shape}")
    return g


def family_summary(
    *,
    hessians: ArrayLike | None = None,
    gradients: ArrayLike | None = None,
    theta: ArrayLike | None = None,
    residuals: ArrayLike | None = None,
    backend: str = "numpy",
    device: str | None = None,
) -> FamilySummary:
    r"""Sharpness, coherence and alignment quantities of a per-sample family.

    Combines :func:`~verifythm.quantities.spectral.hessian_spectrum`,
    :func:`~verifythm.quantities.coherence.coherence` (dexter2024precise, Definition 2)
    and, for gradients, :func:`~verifythm.quantities.extremes.alignment_extremes`
    (wu2022alignment, Eq. (3), Definition 2.1, Lemma 2.4).

    Parameters
    ----------
    hessians
        Per-sample PSD Hessians :math:`H_i`, shape ``(n, d, d)``.
    gradients
        Per-sample model gradients :math:`g_i` as rows, shape ``(n, p)`` (array or memmap);
        the family :math:`H_i = g_ig_i^T` of the linearized square loss.
    theta
        Only with ``gradients``: a displacement :math:`\theta-\theta^*`, shape ``(p,)``;
        ``at_point`` then holds μ, μ₁, μ₂ and the loss at residuals :math:`e = Q^T(\theta-\theta^*)`.
    residuals
        Only with ``gradients`` (instead of ``theta``): residuals :math:`e`, shape ``(n,)``.
    backend, device
        ``"numpy"`` (default) or ``"torch"`` for the Gram matrix :math:`K = QQ^T` of
        ``gradients`` (``device`` ``"cpu"``/``"cuda"``; see :mod:`verifythm.backends`).

    Returns
    -------
    FamilySummary
        ``.as_dict()`` has exactly :data:`SUMMARY_KEYS`; ``.notes`` explains every ``None``.

    Raises
    ------
    ValueError
        Naming the argument: not exactly one of ``hessians``/``gradients``; wrong shapes;
        NaN/inf; non-symmetric or non-PSD Hessians; ``theta``/``residuals`` without
        gradients, both given, or of the wrong length.

    Examples
    --------
    >>> import numpy as np
    >>> s = family_summary(gradients=np.eye(2))
    >>> d = s.as_dict(); (d["n"], d["lambda_max"], d["coherence"], d["gamma"], d["tau"])
    (2, 0.5, 1.0, 1.0, 0.5)
    >>> family_summary(hessians=np.stack([np.eye(2)])).as_dict()["mu_inf"] is None
    True
    """
    from verifythm.backends import check_backend

    check_backend(backend)
    if (hessians is None) == (gradients is None):
        got = "both" if hessians is not None else "neither"
        raise ValueError(f"hessians/gradients: give exactly one of hessians or gradients (got {got})")
    if theta is not None and residuals is not None:
        raise ValueError("theta/residuals: give at most one of theta or residuals")
    notes: list[str] = []
    values: dict[str, Any] = dict.fromkeys(SUMMARY_KEYS)
    at_point: dict[str, float | None] | None = None

    if hessians is not None:
        for name, v in (("theta", theta), ("residuals", residuals)):
            if v is not None:
                raise ValueError(f"{name}: only used with gradients (the linearized square-loss model)")
        H, _ = check_hessians(hessians)
        spec = hessian_spectrum(hessians=H)
        values.update(n=spec.n, dim=spec.dim)
        for k in ("lambda_max", "trace", "frobenius", "stable_rank"):
            values[k] = getattr(spec, k)
        if spec.stable_rank is None:
            notes.append("stable_rank: H = 0, so ‖H‖_F²/‖H‖₂² is 0/0")
        if np.any(H):
            values["coherence"] = coherence(hessians=H).sigma
        else:
            notes.append("coherence: all H_i = 0, so σ is 0/0")
        notes.append(
            "mu_inf, mu1_inf, gamma, tau: defined from per-sample model gradients "
            "(linearized square loss, wu2022alignment §2); not available from Hessians alone"
        )
        return FamilySummary(values, tuple(notes), None, form="hessians")

    g_arr = _validate_gradients(gradients)  # type: ignore[arg-type]
    n, p = g_arr.shape
    e = _point_residuals(g_arr, theta, residuals)  # validated before any n × n or p × p work
    route = _tall_route(g_arr) if backend == "numpy" and p < n else _gram_route(g_arr, backend, device)
    spec = route.spectrum()
    values.update(n=n, dim=p)
    for k in ("lambda_max", "trace", "frobenius", "stable_rank"):
        values[k] = getattr(spec, k)
    if route.is_zero:
        notes.append("stable_rank: all gradients are zero, so H = 0 and ‖H‖_F²/‖H‖₂² is 0/0")
        notes.append("coherence: all gradients are zero, so σ is 0/0")
        notes.append("mu_inf, mu1_inf, gamma, tau: all gradients are zero (G = 0); undefined")
    else:
        sigma, mu_inf, mu1_inf, gamma, tau, rank = route.extras()
        values.update(coherence=sigma, mu_inf=mu_inf, mu1_inf=mu1_inf, gamma=gamma, tau=tau)
        if rank < n:
            notes.append(
                f"mu_inf, mu1_inf: residuals e = Qᵀ(θ−θ*) span only a {rank}-dimensional subspace "
                f"of R^{n} (rank K < n), so mu1_inf may exceed gamma"
            )
    if e is not None:
        at_point = route.at_point(e)
        if at_point["mu"] is None:
            notes.append("at_point: L(θ) = 0 or G = 0 at the given point, so μ, μ₁, μ₂ are undefined there")
    return FamilySummary(values, tuple(notes), at_point, form=route.form)


@dataclass(frozen=True)
class _Route:
    """One reduction of the gradients: the ``n × n`` Gram matrix or the ``p × p`` form."""

    form: str
    is_zero: bool
    spectrum: Callable[[], HessianSpectrum]
    #: (σ, inf μ, inf μ₁, γ, τ, dim range K), called only when G ≠ 0
    extras: Callable[[], tuple[float, float, float, float, float, int]]
    at_point: Callable[[Array], dict[str, float | None]]


def _gram_route(g_arr: np.ndarray, backend: str, device: str | None) -> _Route:
    if backend == "torch":
        # balanced(): K̂ normalised to [1, 4), as this route has always stored it
        gram = gram_from_gradients(g_arr, backend="torch", device=device).balanced()
    else:
        gram = gram_from_gradients(g_arr)

    def extras() -> tuple[float, float, float, float, float, int]:
        ext = alignment_extremes(gram)
        return coherence(gram=gram).sigma, ext.mu_inf.value, ext.mu1_inf.value, ext.gamma, ext.tau, ext.rank

    def at_point(e: Array) -> dict[str, float | None]:
        af = alignment_factors(gram, e)
        if af.n_loss > 0 and af.n_G_fro2 > 0:
            return {"loss": af.loss, "mu": af.mu, "mu1": af.mu1, "mu2": af.mu2}
        return {"loss": af.loss, "mu": None, "mu1": None, "mu2": None}

    return _Route("n×n Gram", gram.is_zero, lambda: hessian_spectrum(gram=gram), extras, at_point)


def _tall_route(g_arr: np.ndarray) -> _Route:
    from verifythm.quantities.tall import tall_gradients

    tall = tall_gradients(g_arr)

    def extras() -> tuple[float, float, float, float, float, int]:
        mu_inf, mu1_inf, rank = tall.infima()
        return tall.coherence(), mu_inf, mu1_inf, tall.gamma, tall.tau, rank

    return _Route("p×p", tall.is_zero, tall.spectrum, extras, tall.at_point)


def _point_residuals(g_arr: np.ndarray, theta: ArrayLike | None, residuals: ArrayLike | None) -> Array | None:
    """Residuals :math:`e` at the given point (``Qᵀθ`` for ``theta``), validated; ``None`` without one."""
    n, p = g_arr.shape
    if theta is not None:
        t = as_finite(theta, "theta", ndim=1)
        if t.shape[0] != p:
            raise ValueError(f"theta: expected length {p} (= p), got {t.shape[0]}")
        return _matvec(g_arr, t)
    if residuals is None:
        return None
    e = as_finite(residuals, "residuals", ndim=1)
    if e.shape[0] != n:
        raise ValueError(f"residuals: expected {n} values (one per sample), got {e.shape[0]}")
    return e


def _matvec(g: np.ndarray, t: Array, block: int = 1 << 16) -> Array:
    """``g @ t`` in float64 over column blocks (``g`` may be a float32 memmap)."""
    out = np.zeros(g.shape[0])
    for j in range(0, g.shape[1], block):
        out += np.asarray(g[:, j : j + block], dtype=np.float64) @ t[j : j + block]
    return out
