r"""Shared sympy constructions for the symbolic checks of §3 (not collected: leading underscore).

The linearized model at a global minimum :math:`\theta^*=0` with symbolic model gradients
:math:`g_1,\dots,g_n\in\mathbb{R}^p` (small n, p), :math:`H=G=\frac1n\sum_ig_ig_i^T`,
:math:`L(\theta)=\frac12\theta^TH\theta`, and one step of linearized SGD
:math:`\theta^+=\theta-\frac\eta B\sum_{k\le B}g_{i_k}g_{i_k}^T\theta` whose B indices are drawn
uniformly **with replacement**.  Its expected loss is taken by exact enumeration of the
:math:`n^B` index tuples, so nothing here assumes :math:`\mathbb{E}[\xi\xi^T]=\Sigma/B`: it is
derived.
"""

from __future__ import annotations

import itertools
from typing import Any


def model(n: int = 2, p: int = 2) -> dict[str, Any]:
    r"""Symbolic :math:`g_i`, θ, η and the derived :math:`H`, :math:`L`, :math:`\Sigma(\theta)`, moments.

    Returns a dict with ``g`` (list of p × 1 matrices), ``theta``, ``eta``, ``H``, ``L``
    (:math:`\frac12\theta^TH\theta`), ``Sigma`` (:math:`\frac1n\sum_i(g_i^T\theta)^2g_ig_i^T-
    H\theta\theta^TH`), ``Sigma1`` / ``Sigma2`` (the two parts), ``fro2`` (:math:`\|H\|_F^2`) and
    ``q`` (:math:`k\mapsto\theta^TH^k\theta`).
    """
    import sympy as sp

    g = [sp.Matrix(sp.symbols(f"g{i + 1}_1:{p + 1}", real=True)) for i in range(n)]
    theta = sp.Matrix(sp.symbols(f"theta1:{p + 1}", real=True))
    eta = sp.Symbol("eta", positive=True)
    H = sum((gi * gi.T for gi in g), sp.zeros(p, p)) / n
    # per-sample losses L_i = ½(g_iᵀθ)² and their gradients, by differentiation
    losses = [(gi.T * theta)[0] ** 2 / 2 for gi in g]
    grads = [sp.Matrix([sp.diff(li, t) for t in theta]) for li in losses]
    grad = sum(grads, sp.zeros(p, 1)) / n
    sigma1 = sum((gi * gi.T for gi in grads), sp.zeros(p, p)) / n
    sigma2 = grad * grad.T
    return {
        "losses": losses,
        "grad": grad,
        "g": g,
        "theta": theta,
        "eta": eta,
        "H": H,
        "L": (theta.T * H * theta)[0] / 2,
        "Sigma": sigma1 - sigma2,
        "Sigma1": sigma1,
        "Sigma2": sigma2,
        "fro2": sum(x**2 for x in H),
        "q": lambda k: (theta.T * H**k * theta)[0],
        "n": n,
        "p": p,
    }


def expected_next_loss(m: dict[str, Any], B: int) -> Any:
    r""":math:`\mathbb{E}[L(\theta^+)]` by enumerating all :math:`n^B` with-replacement index tuples."""
    import sympy as sp

    g, theta, eta, H = m["g"], m["theta"], m["eta"], m["H"]
    n = len(g)
    total = sp.Integer(0)
    for batch in itertools.product(range(n), repeat=B):
        step = sum((g[i] * (g[i].T * theta)[0] for i in batch), sp.zeros(len(theta), 1)) / B
        nxt = theta - eta * step
        total += (nxt.T * H * nxt)[0] / 2
    return total / n**B


def mu(m: dict[str, Any]) -> Any:
    r"""Alignment factor :math:`\mu(\theta)=\operatorname{Tr}(\Sigma G)/(2L\|G\|_F^2)` (Eq. (3))."""
    return (m["Sigma"] * m["H"]).trace() / (2 * m["L"] * m["fro2"])


def mu1(m: dict[str, Any]) -> Any:
    r""":math:`\mu_1(\theta)=\operatorname{Tr}(\Sigma_1G)/(2L\|G\|_F^2)`."""
    return (m["Sigma1"] * m["H"]).trace() / (2 * m["L"] * m["fro2"])


def eq7_to_9(B: int, n: int = 2, p: int = 2) -> list[Any]:
    r"""Obligations for the chain (7) → (8) → (9) of the proof of Theorem 3.3, at batch size B.

    * (7)/(8) with :math:`S=\Sigma/B`: :math:`\mathbb{E}[L(\theta^+)]=L(\theta-\eta H\theta)+
      \frac{\eta^2}{2B}\operatorname{Tr}(H\Sigma(\theta))` (enumeration over :math:`n^B` batches);
    * :math:`r(\theta)L(\theta)=L(\theta-\eta H\theta)=\frac1{2n}\sum_i(g_i^T(I-\eta H)\theta)^2\ge0`;
    * (9) uses :math:`\operatorname{Tr}(H\Sigma)=\operatorname{Tr}(\Sigma G)`, i.e. that the Hessian of
      :math:`L=\frac1n\sum_iL_i` (by differentiation) equals the Fisher matrix
      :math:`G=\frac1n\sum_ig_ig_i^T` of the linearized model, and that :math:`\nabla L=H\theta`.

    The polynomial sides are built in a sparse polynomial ring over ℚ (fast exact arithmetic)
    and handed to sympy as expanded expressions.
    """
    import sympy as sp

    from verifythm.evidence.symbolic import Identity

    m = model(n, p)
    theta, eta, H, g = m["theta"], m["eta"], m["H"], m["g"]
    gens = [*[x for gi in g for x in gi], *theta, eta]
    R, *X = sp.ring(gens, sp.QQ)
    G_ = [[X[i * p + a] for a in range(p)] for i in range(n)]  # g_i as ring elements
    T_ = X[n * p : n * p + p]
    E_ = X[-1]

    def dot(u: list[Any], v: list[Any]) -> Any:
        return sum((a * b for a, b in zip(u, v, strict=True)), R(0))

    def hmul(v: list[Any]) -> list[Any]:  # H v = (1/n) Σ g_i (g_iᵀv)
        coef = [dot(gi, v) for gi in G_]
        return [sum((c * gi[a] for c, gi in zip(coef, G_, strict=True)), R(0)) / n for a in range(p)]

    def loss(v: list[Any]) -> Any:
        return dot(v, hmul(v)) / 2

    total = R(0)
    for batch in itertools.product(range(n), repeat=B):
        step = [sum((G_[i][a] * dot(G_[i], T_) for i in batch), R(0)) / B for a in range(p)]
        total += loss([t - E_ * s for t, s in zip(T_, step, strict=True)])
    ev = total / n**B
    Jt = [t - E_ * h for t, h in zip(T_, hmul(T_), strict=True)]
    gd_part = loss(Jt)
    # Tr(HΣ) = (1/n)Σ_i (g_iᵀθ)² g_iᵀHg_i − (Hθ)ᵀH(Hθ)
    Ht = hmul(T_)
    tr_hs = sum((dot(gi, T_) ** 2 * dot(gi, hmul(gi)) for gi in G_), R(0)) / n - dot(Ht, hmul(Ht))
    noise = E_**2 * tr_hs / (2 * B)
    sos = sum((dot(gi, Jt) ** 2 for gi in G_), R(0)) / (2 * n)
    # Tr(HΣ) of the ring construction against Σ of the sympy model (from per-sample gradients)
    tr_model = (H * m["Sigma"]).trace()
    loss_sym = sum(m["losses"], sp.Integer(0)) / n
    return [
        Identity(
            ev.as_expr(),
            (gd_part + noise).as_expr(),
            f"Eq. (7)-(8): E[L(θ⁺)] = L(θ − ηHθ) + η²Tr(HΣ)/(2B), enumerated over all {n}^{B} batches",
        ),
        Identity(
            gd_part.as_expr(),
            sos.as_expr(),
            "Eq. (8): r(θ)L(θ) = L((I − ηH)θ) = (1/2n)Σ_i(g_iᵀ(I − ηH)θ)², a sum of squares, so ≥ 0",
        ),
        Identity(
            tr_hs.as_expr(), tr_model, "Tr(HΣ) with Σ = (1/n)Σ_i∇L_i∇L_iᵀ − ∇L∇Lᵀ (per-sample gradients)"
        ),
        Identity(
            sp.hessian(loss_sym, list(theta)), H, "Eq. (9): ∇²L = G = (1/n)Σ g_ig_iᵀ, so Tr(HΣ) = Tr(ΣG)"
        ),
        Identity(m["grad"], H * theta, "∇L(θ) = Hθ"),
    ]


def threshold(rate: Any, value: Any, bound: Any, label: str) -> Any:
    r"""Identity ``rate·value² − 1 = rate·(value − bound)(value + bound)``.

    So ``rate·value² ≤ 1`` iff ``value ≤ bound`` (all positive): ``bound`` is exactly where the
    growth factor is 1.
    """
    from verifythm.evidence.symbolic import Identity

    return Identity(rate * value**2 - 1, rate * (value - bound) * (value + bound), label)


def orthonormal_step(B: int = 1) -> Any:
    r"""Expected next loss and loss for two orthonormal gradients, by enumeration.

    :math:`g_1=e_1`, :math:`g_2=e_2` (n = p = 2); here :math:`H=I/2`, :math:`\|H\|_F^2=1/2` and
    :math:`\mu\equiv1/2`.
    """
    import sympy as sp

    m = model(2, 2)
    point = {m["g"][0][0]: 1, m["g"][0][1]: 0, m["g"][1][0]: 0, m["g"][1][1]: 1}
    return m, sp.expand(expected_next_loss(m, B).subs(point)), sp.expand(m["L"].subs(point))


def eq24(B: int) -> Any:
    r"""Eq. (24) as an identity, by enumeration over the :math:`n^B` batches.

    With :math:`q_k=\theta^TH^k\theta`:

    .. math:: \mathbb{E}[L(\theta^+)]/L(\theta)=1-2\eta\frac{q_2}{q_1}
              +\eta^2\Bigl(1-\frac1B\Bigr)\frac{q_3}{q_1}+\frac{\eta^2}{B}\|H\|_F^2\mu_1(\theta)

    (n = p = 2, symbolic :math:`g_i`, θ, η), multiplied through by :math:`q_1=2L` to stay polynomial.
    """
    import sympy as sp

    from verifythm.evidence.symbolic import Identity

    m = model(2, 2)
    q, eta = m["q"], m["eta"]
    tr1 = (m["Sigma1"] * m["H"]).trace()  # = 2L‖H‖_F²μ₁(θ) = q₁‖H‖_F²μ₁(θ)
    lhs = 2 * expected_next_loss(m, B)
    rhs = q(1) - 2 * eta * q(2) + eta**2 * (1 - sp.Rational(1, B)) * q(3) + eta**2 * tr1 / B
    return Identity(
        sp.expand(lhs), sp.expand(rhs), f"Eq. (24): E[L(θ⁺)]·q₁/L, Σ = Σ₁ − Σ₂, B = {B} (enumerated)"
    )


def gaussian_expect(expr: Any, xs: list[Any]) -> Any:
    r"""Exact :math:`\mathbb{E}` of a polynomial in independent standard normals ``xs``.

    Monomial by monomial (:math:`\mathbb{E}x^k=(k-1)!!` for even k, 0 for odd k).  With
    :math:`z=Ax` this covers :math:`z\sim\mathcal N(0,AA^T)`, i.e. every Gaussian covariance.
    """
    import sympy as sp

    def moment(k: int) -> int:
        return 0 if k % 2 else int(sp.factorial2(k - 1)) if k else 1

    out = sp.Integer(0)
    for powers, coeff in sp.Poly(sp.expand(expr), *xs).terms():
        mom = 1
        for k in powers:
            mom *= moment(int(k))
        out += coeff * mom
    return out
