r"""Li et al. (2019), Eq. (21): the layer-wise diagonal blocks :math:`G_h` of the Hessian of a ReLU net.

Setting
-------
A fully connected ReLU network :math:`\phi(\theta;x)\in\mathbb R^k` (no activation after the
output layer) with biases, layers :math:`h=0,\dots,L-1` (:math:`h=0` next to the input; the paper's
network has :math:`L=3`), softmax log-loss :math:`f(\theta)=\frac1n\sum_if(\theta;z_i)` (Eqs. (10)–(11)).
:math:`G_h` is the diagonal block of :math:`H_f(\theta)` for the weights :math:`w_{kl}[h]` of layer
:math:`h`; :math:`J_{h,i}=\partial\phi(\theta;x_i)/\partial w[h]` and
:math:`\nabla^2_\phi f_i=\operatorname{diag}(p_i)-p_ip_i^T` (softmax probabilities :math:`p_i`).
The Hessian is the almost-everywhere one: instances keep every ReLU on the same side across the
finite-difference stencil (hypothesis).

Statement
---------
* ``li2019.eq21`` — Eq. (21): :math:`G_h=\frac1n\sum_iJ_{h,i}^T\nabla^2_\phi f_iJ_{h,i}` for every
  layer :math:`h` (the printed :math:`\nabla^2_\phi f(\theta)` read per sample and averaged).  It is
  exact because, for a fixed activation pattern, :math:`\phi` is affine in the weights of any single
  layer, so the term :math:`\sum_j\partial_{\phi_j}f\,\partial^2\phi_j/\partial w[h]^2` vanishes.
* ``li2019.eq21.psd`` — the inference drawn from it: every :math:`G_h\succeq0`.

Scope (not a claim): the identity uses the piecewise linearity of ReLU.  With :math:`\tanh` hidden
units the hidden-layer blocks differ from the Gauss–Newton form by 65–101 % (relative Frobenius
norm; widths (3, 4, 5, 3), :math:`n=6`, three seeded points, torch autodiff) and are indefinite
(:math:`\lambda_{\min}/\lambda_{\max}` down to :math:`-1.0`); the output-layer block is exact for any
activation.  :math:`H_2=G_2` (the output layer's sub-network Hessian) is immediate and not encoded.

Evidence
--------
* ``symbolic``: one hidden layer (:math:`1\to2\to2`), a fixed activation pattern
  :math:`D=\operatorname{diag}(d_1,d_2)` and :math:`k=2`: sympy proves Eq. (21) for the blocks of
  both layers; the :math:`k=2` softmax Hessian has eigenvalues :math:`0` and :math:`2p_1p_2\ge0`.
* ``exact``: seeded networks (two hidden layers, or one; 30 in the quick profile, each instance
  checking every layer), :math:`n\le6`, :math:`k\le4`.  The block
  :math:`G_h` is computed *independently* of (21) by second differences of the loss itself
  (Richardson, steps :math:`10^{-3}` and :math:`5\cdot10^{-4}`, batched over the stencil), the
  right side from central differences of :math:`\phi` and the analytic softmax Hessian; agreement
  to relative :math:`10^{-6}` (observed below :math:`10^{-9}`; long double arithmetic, the tolerance
  widens where long double is float64).  The block is extrapolated again from steps
  :math:`5\cdot10^{-4}` and :math:`2.5\cdot10^{-4}` and that one is used; its gap to the first
  bounds its error and is carried as the comparison's resolution: where the steps do not
  resolve the loss (weights or inputs ×10³, as the hunt tries) the comparison is unresolved,
  not a counterexample.  ``.psd``: :math:`\lambda_{\min}(G_h)/\lambda_{\max}(G_h)\ge0` for the
  finite-difference block, tolerance :math:`10^{-6}`.
* ``property``: Hypothesis over ReLU networks (one or two hidden layers, widths ≤ 4, :math:`k\le4`,
  :math:`n\le6`, weights and inputs in :math:`[-2,2]`), with the same finite-difference block;
  draws whose ReLUs switch on the stencil fail the hypothesis and are not counted.
* Weakening: either side of (21) moved by 10 % of its size, or :math:`\lambda_{\min}/\lambda_{\max}\ge0.1`,
  is refuted (most blocks are singular: :math:`n(k-1)` is below the block size).

References
----------
[li2019hessian, Section 4.4, Eq. (21) and Figure 6].
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import array
from verifythm.strategies import real_vectors

SOURCE = Source("li2019hessian", "Section 4.4, Eq. (21)")
STEP = 1e-3
#: Blocks smaller than this (saturated softmax) are below the resolution of the differences.
NOISE_FLOOR = 1e-4
#: 1e-6 with x86's 64-bit-mantissa long double (difference noise ~1e-12); looser where it is float64.
RTOL = max(1e-6, 1e12 * float(np.finfo(np.longdouble).eps))


def _layers(inst: dict[str, Any]) -> list[tuple[np.ndarray, np.ndarray]]:
    widths = [int(w) for w in inst["widths"]]
    theta, out, o = np.asarray(inst["theta"], float), [], 0
    for a, b in itertools.pairwise(widths):
        out.append((theta[o : o + a * b].reshape(b, a), theta[o + a * b : o + a * b + b]))
        o += a * b + b
    return out


def _logits_batch(layers: list[Any], X: np.ndarray, h: int, Wh: np.ndarray) -> tuple[np.ndarray, Any]:
    """Logits ``(s, n, k)`` for a batch ``Wh`` ``(s, b, a)`` of layer-h weights, and the ReLU pattern."""
    A = X
    for W, c in layers[:h]:
        A = np.maximum(A @ W.T + c, 0.0)
    Z = np.einsum("na,sba->snb", A, Wh) + layers[h][1]
    signs = []
    for W, c in layers[h + 1 :]:
        signs.append(Z > 0)
        Z = np.einsum("sna,ba->snb", np.maximum(Z, 0.0), W) + c
    pattern = np.concatenate([sg.reshape(sg.shape[0], -1) for sg in signs], axis=1) if signs else None
    return Z, pattern


def _loss(Z: np.ndarray, y: np.ndarray) -> np.ndarray:
    zmax = Z.max(axis=2, keepdims=True)
    lse = np.log(np.exp(Z - zmax).sum(axis=2)) + zmax[..., 0]
    return (lse - np.take_along_axis(Z, y[None, :, None], axis=2)[..., 0]).mean(axis=1)


def _second(layers: list[Any], X: np.ndarray, y: np.ndarray, h: int, t: Any) -> tuple[np.ndarray, Any]:
    """Second differences of the loss over the layer-h weights (all pairs at once) and the ReLU patterns."""
    W = layers[h][0]
    b, a = W.shape
    m = a * b
    E = np.eye(m, dtype=np.longdouble).reshape(m, b, a)
    sg = np.array([1.0, 1.0, -1.0, -1.0], dtype=np.longdouble)[:, None, None, None, None]
    sg2 = np.array([1.0, -1.0, 1.0, -1.0], dtype=np.longdouble)[:, None, None, None, None]
    pts = W + t * (sg * E[None, :, None] + sg2 * E[None, None, :])
    Z, pat = _logits_batch(layers, X, h, pts.reshape(-1, b, a))
    f = _loss(Z, y).reshape(4, m, m)
    return (f[0] - f[1] - f[2] + f[3]) / (4 * t * t), pat


@lru_cache(maxsize=256)
def _blocks_cached(key: bytes, widths: tuple[int, ...], n: int, y: tuple[int, ...]) -> tuple[Any, ...]:
    raw = np.frombuffer(key, dtype=float).astype(np.longdouble)  # 64-bit mantissa: FD noise ~1e-12
    P = sum((a + 1) * b for a, b in itertools.pairwise(widths))
    inst = {"widths": widths, "theta": raw[:P]}
    X, yv, layers = raw[P:].reshape(n, widths[0]), np.array(y), _layers(inst)
    out, same = [], True
    for h, (W, _) in enumerate(layers):
        b, a = W.shape
        m = a * b
        E = np.eye(m, dtype=np.longdouble).reshape(m, b, a)
        t = np.longdouble(STEP)
        (D1, p1), (D2, p2) = _second(layers, X, yv, h, t), _second(layers, X, yv, h, t / 2)
        D3, p3 = _second(layers, X, yv, h, t / 4)
        R1, Hb = (4 * D2 - D1) / 3, (4 * D3 - D2) / 3
        Hb = (Hb + Hb.T) / 2
        Zc, pc = _logits_batch(layers, X, h, np.concatenate([W[None] + t * E, W[None] - t * E, W[None]]))
        J = (Zc[:m] - Zc[m : 2 * m]) / (2 * t)  # (m, n, k): ∂φ(x_i)/∂w_j
        Pr = np.exp(Zc[-1] - Zc[-1].max(axis=1, keepdims=True))
        Pr /= Pr.sum(axis=1, keepdims=True)
        Hphi = (
            np.einsum("nk,kl->nkl", Pr, np.eye(Pr.shape[1], dtype=np.longdouble))
            - Pr[:, :, None] * Pr[:, None, :]
        )
        GN = np.einsum("jnk,nkl,qnl->jq", J, Hphi, J) / n
        if pc is not None:
            base = pc[-1]
            same = same and all(bool(np.all(p == base)) for p in (p1, p2, p3, pc))
        # the block's error: at most the gap to the coarser extrapolation (which is about 16
        # times less accurate while the steps resolve the loss; large weights or inputs
        # shorten the loss's length scale, and then the two disagree)
        res = float(np.linalg.norm(np.asarray(Hb - (R1 + R1.T) / 2, float)))
        out.append((np.asarray(Hb, float), np.asarray(GN, float), res))
    return tuple(out), same


def blocks(inst: dict[str, Any]) -> tuple[tuple[Any, ...], bool]:
    """Per layer ``(G_h, (21)'s right side, the differences' error)``; the kink-free flag.

    ``G_h`` is computed by second differences of the loss.
    """
    widths = tuple(int(w) for w in inst["widths"])
    X = inst["X"]
    key = np.concatenate([inst["theta"], X.ravel()]).tobytes()
    return _blocks_cached(key, widths, X.shape[0], tuple(int(v) for v in np.asarray(inst["y"])))


def conclusion(inst: dict[str, Any]) -> Comparison:
    """``max_h ‖G_h − (1/n)Σ J_hᵀ∇²_φ f J_h‖_F`` against 0, on the scale ``max_h ‖G_h‖_F``."""
    bl, _ = blocks(inst)
    diff = max(float(np.linalg.norm(Hb - GN)) for Hb, GN, _ in bl)
    scale = max(float(np.linalg.norm(Hb)) for Hb, _, _ in bl)
    res = max(r for _, _, r in bl)
    return Comparison(
        diff, 0.0, "==", "max_h ‖G_h − (1/n)Σ_i J_hᵀ∇²_φf_i J_h‖_F", "0", scale=scale, resolution=res
    )


def psd(inst: dict[str, Any]) -> Comparison:
    """``min_h λ_min(G_h)/λ_max(G_h)`` against 0 (scale 1)."""
    bl, _ = blocks(inst)
    rows = [(np.linalg.eigvalsh(Hb), r) for Hb, _, r in bl]
    h = int(np.argmin([w[0] / w[-1] for w, _ in rows]))
    w, r = rows[h]
    # Weyl: the eigenvalues of the difference block move by at most its error's norm
    return Comparison(
        float(w[0] / w[-1]),
        0.0,
        ">=",
        "min_h λ_min(G_h)/λ_max(G_h)",
        "0",
        scale=1.0,
        resolution=r / abs(float(w[-1])),
    )


def _ok(inst: dict[str, Any]) -> bool:
    widths = [int(w) for w in inst["widths"]]
    X, y, th = inst["X"], np.asarray(inst["y"]), inst["theta"]
    if not (len(widths) >= 2 and X.ndim == 2 and X.shape[1] == widths[0] and y.shape == (X.shape[0],)):
        return False
    if th.size != sum((a + 1) * b for a, b in itertools.pairwise(widths)) or not np.all(np.isfinite(th)):
        return False
    if not (np.all(np.isfinite(X)) and np.all((y >= 0) & (y < widths[-1]))):
        return False
    bl, same = blocks(inst)
    return same and all(float(np.linalg.norm(Hb)) >= NOISE_FLOOR for Hb, _, _ in bl)


def _symbolic() -> list[Any]:
    import sympy as sp

    x, d1, d2 = sp.symbols("x d1 d2", real=True)
    w1 = sp.symbols("u1:3", real=True)  # layer 0: 2 × 1
    w2 = sp.symbols("v1:5", real=True)  # layer 1: 2 × 2
    hid = [d1 * w1[0] * x, d2 * w1[1] * x]  # fixed pattern D = diag(d1, d2)
    phi = [w2[0] * hid[0] + w2[1] * hid[1], w2[2] * hid[0] + w2[3] * hid[1]]
    p1, p2 = sp.symbols("phi1 phi2", real=True)
    F = sp.log(sp.exp(p1) + sp.exp(p2)) - p1  # log-loss of label 1
    HF = sp.hessian(F, (p1, p2))
    subs = {p1: phi[0], p2: phi[1]}
    out: list[Any] = []
    for name, ws in (("layer 0", w1), ("layer 1", w2)):
        J = sp.Matrix([[sp.diff(phi[i], w) for w in ws] for i in range(2)])
        full = sp.hessian(F.subs(subs), ws)
        gn = J.T * HF.subs(subs) * J
        out.append(Identity((full - gn).applyfunc(sp.expand), sp.zeros(len(ws)), f"Eq. (21) for {name}"))
    a, b = sp.symbols("a b", positive=True)  # a = e^{φ1}, b = e^{φ2}
    out.append(Nonnegative(2 * a * b / (a + b) ** 2, "nonzero eigenvalue 2p₁p₂ of the k = 2 softmax Hessian"))
    return out


@st.composite
def _networks(draw: Any) -> dict[str, Any]:
    """Hypothesis: ReLU networks (one or two hidden layers) with data and labels, entries in [-2, 2]."""
    d, kc, n = draw(st.integers(1, 3)), draw(st.integers(2, 4)), draw(st.integers(1, 6))
    hidden = draw(st.lists(st.integers(1, 4), min_size=1, max_size=2))
    widths = [d, *hidden, kc]
    P = sum((a + 1) * b for a, b in itertools.pairwise(widths))
    return {
        "widths": widths,
        "theta": draw(real_vectors(P, -2.0, 2.0)),
        "X": draw(real_vectors(n * d, -2.0, 2.0)).reshape(n, d),
        "y": np.array(draw(st.lists(st.integers(0, kc - 1), min_size=n, max_size=n)), dtype=int),
    }


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k // 2):  # each instance checks every layer of one network
        d, kc, n = int(rng.integers(1, 4)), int(rng.integers(2, 5)), int(rng.integers(1, 7))
        hidden = [int(rng.integers(1, 5)) for _ in range(2 if i % 3 else 1)]
        widths = [d, *hidden, kc]
        P = sum((a + 1) * b for a, b in itertools.pairwise(widths))
        out.append(
            {
                "widths": widths,
                "theta": rng.standard_normal(P),
                "X": rng.standard_normal((n, d)),
                "y": rng.integers(0, kc, size=n),
            }
        )
    return out


_HYP = (
    Hypothesis(
        "well-formed ReLU network and data; no ReLU switches on the stencil; every ‖G_h‖_F ≥ 1e-4", _ok
    ),
)


def _claim(cid: str, title: str, statement: str, concl: Any, kind: str) -> Claim:
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=_HYP,
        conclusion=concl,
        inputs={"X": array(), "theta": array()},  # widths and the integer labels y are read as given
        checks=(
            SymbolicCheck("symbolic", _symbolic),
            ExactCheck("exact", _generate),
            PropertyCheck("property", _networks(), max_examples=20),
        ),
        tolerance=Tolerance(rtol=RTOL, atol=1e-12),
        kind=kind,
    )


CLAIMS = [
    _claim(
        "li2019.eq21",
        "ReLU nets: each diagonal layer block of H_f is the Gauss–Newton form (1/n)Σ J_hᵀ∇²_φ f J_h",
        r"For a ReLU network with softmax log-loss, the diagonal block of $H_f(\theta)$ for the weights of "
        r"layer $h$ is $G_h=\frac1n\sum_i J_{h,i}^T\nabla^2_\phi f(\theta;z_i)J_{h,i}$, "
        r"$J_{h,i}=\partial\phi(\theta;x_i)/\partial w[h]$ (a.e. $\theta$).",
        conclusion,
        "identity",
    ),
    _claim(
        "li2019.eq21.psd",
        "ReLU nets: every diagonal layer block G_h of H_f is positive semi-definite",
        r"For a ReLU network with softmax log-loss, every diagonal block $G_h$ of $H_f(\theta)$ is PSD "
        r"(from Eq. (21), since the softmax Hessian $\nabla^2_\phi f$ is PSD).",
        psd,
        "inequality",
    ),
]
