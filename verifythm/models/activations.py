r"""Scalar activation functions with their first and second derivatives.

An :class:`Activation` bundles :math:`\phi`, :math:`\phi'` and :math:`\phi''` (all
vectorised, float64) together with the slope bounds :math:`a \le \phi' \le b` when
they hold globally — the condition on the activation of the two-layer network in
(wang2023noise, Assumption 3.4).  For the piecewise-linear activations (ReLU,
leaky ReLU) :math:`\phi''` is the almost-everywhere derivative, i.e. zero; the
``smooth`` flag says whether :math:`\phi''` is the true second derivative
everywhere (which is what finite-difference checks of an exact Hessian need).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from verifythm.linalg.psd import Array

ACTIVATIONS = ("identity", "relu", "leaky_relu", "tanh", "softplus", "smooth_leaky")
"""Names accepted by :func:`get_activation`."""


@dataclass(frozen=True, eq=False)
class Activation:
    r"""A scalar activation :math:`\phi` with derivatives, applied entry-wise.

    Attributes
    ----------
    name
        Human-readable name including parameters, e.g. ``"leaky_relu(0.1)"``.
    fn, d1, d2
        :math:`\phi`, :math:`\phi'` and :math:`\phi''` (almost-everywhere derivative for
        piecewise-linear activations).
    slope_bounds
        ``(a, b)`` with :math:`a \le \phi'(z) \le b` for every real ``z``, or ``None``.
    smooth
        Whether :math:`\phi` is twice continuously differentiable (``d2`` exact everywhere).
    """

    name: str
    fn: Callable[[Array], Array]
    d1: Callable[[Array], Array]
    d2: Callable[[Array], Array]
    slope_bounds: tuple[float, float] | None
    smooth: bool

    def __repr__(self) -> str:
        return f"Activation({self.name})"


def _zeros_like(z: Array) -> Array:
    return np.zeros_like(z, dtype=np.float64)


def identity() -> Activation:
    r"""The identity :math:`\phi(z) = z` (slopes in :math:`[1, 1]`)."""
    return Activation(
        "identity", lambda z: np.asarray(z, float) * 1.0, np.ones_like, _zeros_like, (1.0, 1.0), True
    )


def relu() -> Activation:
    r""":math:`\phi(z) = \max(z, 0)`, with :math:`\phi'(0) := 0` and :math:`\phi'' := 0`."""
    return Activation(
        "relu",
        lambda z: np.maximum(z, 0.0),
        lambda z: (np.asarray(z) > 0).astype(np.float64),
        _zeros_like,
        (0.0, 1.0),
        False,
    )


def leaky_relu(alpha: float = 0.1) -> Activation:
    r"""The α-leaky ReLU :math:`\phi(z) = \max(\alpha z, z)` (wang2023noise, §3.2), :math:`\alpha > 0`.

    Its slope is :math:`\alpha` where :math:`\alpha z > z` and 1 elsewhere (so
    :math:`\phi'(0) := 1`), hence :math:`\min(\alpha,1) \le \phi' \le \max(\alpha,1)`.

    Raises
    ------
    ValueError
        If ``alpha`` is not a finite number > 0.
    """
    a = float(alpha)
    if not np.isfinite(a) or a <= 0:
        raise ValueError(f"alpha: the leaky-ReLU slope must be a finite number > 0, got {alpha!r}")
    return Activation(
        f"leaky_relu({a:g})",
        lambda z: np.maximum(a * np.asarray(z, float), np.asarray(z, float)),
        lambda z: np.where(a * np.asarray(z, float) > np.asarray(z, float), a, 1.0),
        _zeros_like,
        (min(a, 1.0), max(a, 1.0)),
        False,
    )


def tanh() -> Activation:
    r""":math:`\phi(z) = \tanh z` (slopes in :math:`(0, 1]`; smooth)."""

    def d1(z: Array) -> Array:
        return 1.0 - np.tanh(z) ** 2

    def d2(z: Array) -> Array:
        t = np.tanh(z)
        return -2.0 * t * (1.0 - t**2)

    return Activation("tanh", np.tanh, d1, d2, (0.0, 1.0), True)


def softplus() -> Activation:
    r""":math:`\phi(z) = \log(1 + e^z)` (computed stably; slopes in :math:`(0, 1)`; smooth)."""

    def d2(z: Array) -> Array:
        s = expit(z)
        return s * (1.0 - s)

    return Activation("softplus", lambda z: np.logaddexp(0.0, z), expit, d2, (0.0, 1.0), True)


def smooth_leaky(alpha: float = 0.5, beta: float = 1.0) -> Activation:
    r"""A smooth activation with slopes in :math:`[\alpha, \beta]`.

    :math:`\phi(z) = \alpha z + (\beta-\alpha)\,\mathrm{softplus}(z)`.

    It satisfies (wang2023noise, Assumption 3.4) while having a non-zero second
    derivative :math:`(\beta-\alpha)s(1-s)`, :math:`s = \mathrm{sigmoid}(z)`, which makes the
    residual term of the two-layer Hessian visible (unlike the leaky ReLU).

    Raises
    ------
    ValueError
        Unless ``0 < alpha <= beta`` are finite.
    """
    a, b = float(alpha), float(beta)
    if not (np.isfinite(a) and np.isfinite(b)) or a <= 0 or b < a:
        raise ValueError(f"alpha, beta: need finite 0 < alpha <= beta, got alpha={alpha!r}, beta={beta!r}")

    def d2(z: Array) -> Array:
        s = expit(z)
        return (b - a) * s * (1.0 - s)

    return Activation(
        f"smooth_leaky({a:g},{b:g})",
        lambda z: a * np.asarray(z, float) + (b - a) * np.logaddexp(0.0, z),
        lambda z: a + (b - a) * expit(z),
        d2,
        (a, b),
        True,
    )


def get_activation(spec: str | Activation) -> Activation:
    """Resolve an activation given by name (defaults for parameters) or pass one through.

    Parameters
    ----------
    spec
        An :class:`Activation`, or one of :data:`ACTIVATIONS` (``"leaky_relu"`` means
        :func:`leaky_relu` with α = 0.1, ``"smooth_leaky"`` means α = 0.5, β = 1).

    Raises
    ------
    ValueError
        If ``spec`` is an unknown name or of the wrong type.
    """
    if isinstance(spec, Activation):
        return spec
    if not isinstance(spec, str) or spec not in ACTIVATIONS:
        raise ValueError(f"activation: unknown activation {spec!r}; choose one of {ACTIVATIONS}")
    factory: dict[str, Callable[[], Activation]] = {
        "identity": identity,
        "relu": relu,
        "leaky_relu": leaky_relu,
        "tanh": tanh,
        "softplus": softplus,
        "smooth_leaky": smooth_leaky,
    }
    return factory[spec]()
