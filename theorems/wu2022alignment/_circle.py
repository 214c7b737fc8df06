r"""Exact χ_i of the ReLU random feature model on the circle (d = 2), for Proposition 2.5 as proved.

Not collected (private).

:func:`chi_circle` gets every :math:`\chi_i\propto\sum_jK_{ij}^2` from prefix sums over the angle-sorted
points in :math:`O((n+m)\log(n+m))`, without forming the feature or Gram matrix; :func:`eps_proof` is one
draw of the quantity :math:`1-\gamma` that ``wu2022.prop2_5.mu1.as_proved`` bounds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._appf import relu_features, sphere

TWO_PI = 2.0 * np.pi
#: The 10 entries (t ≤ u) of a symmetric 4 × 4 matrix.
_PAIRS = ((0, 0), (0, 1), (0, 2), (0, 3), (1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (3, 3))


def _window_squares(
    f: Sequence[np.ndarray], g: Sequence[np.ndarray], start: np.ndarray, stop: np.ndarray
) -> np.ndarray:
    r""":math:`\sum_{start_i\le k<stop_i}(f_i^Tg_k)^2` per point i; ``f``, ``g``: 4 coordinate arrays (n, N).

    One entry of :math:`g_kg_k^T` at a time (prefix sums over k): small temporaries, so large n
    does not pay a page fault per array.
    """
    out = np.zeros(f[0].size)
    prefix = np.zeros(g[0].size + 1)
    for t, u in _PAIRS:
        np.multiply(g[t], g[u], out=prefix[1:])
        np.cumsum(prefix, out=prefix)
        window = prefix.take(stop)
        window -= prefix.take(start)
        window *= f[t] * f[u] * (1.0 if t == u else 2.0)
        out += window
        prefix[0] = 0.0
    return out


def _divmod_2pi(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""``np.divmod(x, 2π)`` for x in :math:`[-2\pi,4\pi)`, the same bits at a fraction of the cost.

    There the quotient is −1, 0 or 1 and the remainder x + 2π, x or x − 2π (numpy rounds the first
    the same way; the last is exact, as fmod is).
    """
    lo, hi = x < 0.0, x >= TWO_PI
    r = x.copy()
    r[lo] += TWO_PI
    r[hi] -= TWO_PI
    return hi.astype(float) - lo, r


def chi_circle(alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    r"""Exact :math:`\chi_i\propto\sum_jK_{ij}^2` of the ReLU feature model at d = 2, without forming K.

    Data :math:`x_i=(\cos\alpha_i,\sin\alpha_i)`, features
    :math:`w_s=\sqrt2(\cos\beta_s,\sin\beta_s)`, :math:`\Phi_{is}=\mathrm{ReLU}(w_s^Tx_i)`,
    :math:`K=\Phi\Phi^T`.  Returns :math:`(\sum_jK_{ij}^2)_i` with the points in increasing
    order of :math:`\alpha_i\bmod2\pi` (the paper's :math:`\chi_i` is this divided by
    :math:`nm^2`; :math:`\gamma=\min_i\chi_i/\bar\chi` does not see the factor or the order).

    With :math:`u(a)=(\cos a,\sin a)`, :math:`\Phi_{is}\Phi_{js}=2\,u_i^Tv_sv_s^Tu_j` on the arc of
    the :math:`\beta_s` within :math:`\pi/2` of both :math:`\alpha_i` and :math:`\alpha_j`, and
    :math:`2v_sv_s^T=M(1,\cos2\beta_s,\sin2\beta_s)`, :math:`M(V)=\begin{pmatrix}V_0+V_1&V_2\\
    V_2&V_0-V_1\end{pmatrix}`.  If :math:`\alpha_j` lies counter-clockwise of :math:`\alpha_i` by
    less than π the arc is :math:`(\alpha_j-\pi/2,\alpha_i+\pi/2)`, so with prefix sums
    :math:`F(\theta)=\sum_{\beta_s<\theta}(1,\cos2\beta_s,\sin2\beta_s)` (unwrapped:
    :math:`F(\theta+2\pi)=F(\theta)+F(2\pi)`),
    :math:`K_{ij}=e_i^Tu_j-u_i^Ts_j` with :math:`e_i=M(F(\alpha_i+\pi/2))u_i`,
    :math:`s_j=M(F(\alpha_j-\pi/2))u_j`; the other half-circle swaps i and j.  Each half-row
    sum of :math:`K_{ij}^2` is a quadratic form in a 4-vector of row i with a window sum of 4 × 4
    outer products of the angle-sorted points (two copies shifted by ±2π close the circle): cost
    :math:`O((n+m)\log(n+m))` instead of the :math:`nm+n^2m` of Φ and K.  Equal to the Gram
    computation to ~1e-13 relative (``tests/catalogue/test_prop_f7_circle.py``).

    Parameters
    ----------
    alpha, beta
        Angles of the n data points and of the m features (1-D, finite, non-empty).

    Raises
    ------
    ValueError
        Naming ``alpha`` or ``beta`` when not a finite non-empty 1-D array.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.uniform(0, TWO_PI, 50), rng.uniform(0, TWO_PI, 60)
    >>> X = np.c_[np.cos(np.sort(a)), np.sin(np.sort(a))]
    >>> K = (P := relu_features(X, np.sqrt(2) * np.c_[np.cos(b), np.sin(b)])) @ P.T
    >>> bool(np.allclose(chi_circle(a, b), (K * K).sum(axis=1), rtol=1e-10))
    True
    """
    arrays = []
    for name, v in (("alpha", alpha), ("beta", beta)):
        v = np.asarray(v, dtype=float)
        if v.ndim != 1 or v.size == 0 or not np.all(np.isfinite(v)):
            raise ValueError(f"{name}: need a finite non-empty 1-D array of angles, got shape {v.shape}")
        if not (v.min() >= 0.0 and v.max() < TWO_PI):  # mod is the identity on [0, 2π): skip its cost
            v = np.mod(v, TWO_PI)
        arrays.append(np.sort(v))
    a, b = arrays
    n = a.size
    F = np.zeros((3, b.size + 1))
    np.cumsum(np.ones_like(b), out=F[0, 1:])
    np.cumsum(np.cos(2 * b), out=F[1, 1:])
    np.cumsum(np.sin(2 * b), out=F[2, 1:])
    total = F[:, -1:]
    c, s = np.cos(a), np.sin(a)

    def m_u(shift: float) -> tuple[np.ndarray, np.ndarray]:
        """M(F(α + shift)) u(α) on the copies α − 2π, α, α + 2π (two arrays of length 3n)."""
        k, r = _divmod_2pi(a + shift)
        V = F.take(np.searchsorted(b, r), axis=1)
        V += k * total
        T0, T1, T2 = total[:, 0]
        p, q = (V[0] + V[1]) * c + V[2] * s, V[2] * c + (V[0] - V[1]) * s
        dp, dq = (T0 + T1) * c + T2 * s, T2 * c + (T0 - T1) * s
        return np.concatenate([p - dp, p, p + dp]), np.concatenate([q - dq, q, q + dq])

    (e0, e1), (s0, s1) = m_u(np.pi / 2), m_u(-np.pi / 2)
    c3, s3 = np.tile(c, 3), np.tile(s, 3)
    A = np.concatenate([a - TWO_PI, a, a + TWO_PI])
    own, mid = np.arange(n), slice(n, 2 * n)
    ahead = _window_squares(  # j counter-clockwise of i (j = i included): copies n … 3n − 1
        (e0[mid], e1[mid], -c, -s),
        (c3[n:], s3[n:], s0[n:], s1[n:]),
        own,
        np.searchsorted(A, a + np.pi, side="left") - n,
    )
    behind = _window_squares(  # j clockwise of i: copies 0 … 2n − 1
        (c, s, -s0[mid], -s1[mid]),
        (e0[: 2 * n], e1[: 2 * n], c3[: 2 * n], s3[: 2 * n]),
        np.searchsorted(A, a - np.pi, side="right"),
        own + n,
    )
    return ahead + behind


def eps_proof(rng: np.random.Generator, n: int, m: int, d: int) -> float:
    r""":math:`1-\gamma=1-\min_i\chi_i/\bar\chi\ \ge\ 1-\inf_\theta\mu_1(\theta)` on one draw.

    d = 2 uses :func:`chi_circle` (the same law: uniform angles); other d the Gram matrix.
    """
    if d == 2:
        chi = chi_circle(rng.uniform(0.0, TWO_PI, n), rng.uniform(0.0, TWO_PI, m))
    else:
        P = relu_features(sphere(rng, n, d), sphere(rng, m, d, np.sqrt(d)))
        K = P @ P.T
        chi = np.sum(K * K, axis=1)
    return 1.0 - float(chi.min() / chi.mean())
