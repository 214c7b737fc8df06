r"""Switch points of the float64 engine to its high-precision twin (:mod:`verifythm.dynamics.precise`).

:func:`install` (called by :func:`~verifythm.dynamics.precise.engine_precision`, once per process)
wraps the names that the engine's public functions look up *at call time*, so the public
functions themselves — however a catalogue module imported them — switch when a precision
context is active and are untouched (one ``ContextVar`` read) otherwise:

==============================================  =============================================
wrapped name                                    public functions that switch
==============================================  =============================================
``dynamics.stability._critical``                ``critical_learning_rate(s)``, ``stability``: η*
``dynamics.stability._radius_hat``              ``spectral_radius``, ``stability``: ρ
``dynamics.stability.diagonal_moments``         ``critical_learning_rates`` (diagonal families)
``Family.lambda_max`` (property)                ``gd_threshold``, ``fam.lambda_max``: λ₁(H)
``Family.from_hessians/_gram/_gradients``       (record the input, so the reduction is redone)
``quantities.coherence.check_hessians``         ``coherence``, ``coherence_measure``: λ₁(H_i)
``quantities.coherence.top_eigenvalue``         ``coherence``: λ₁(S)
``quantities.coherence.gram_from_gradients``    ``coherence(gradients=…)``: K
``quantities.alignment.gram_from_Q``            ``alignment_factors``, ``loss_alignment``: K
``quantities.alignment.noise_traces``           the same: L, Tr(GΣₖ), ‖Σ‖_F (exact rationals)
``quantities.extremes.gram_from_*``            ``(feature_)alignment_extremes``: K
``quantities.extremes.alignment_matrices``      the same: D, M₂ (exact)
``quantities.extremes.rayleigh_extremes``       the same: inf/sup over θ of μ, μ₁, μ₂
==============================================  =============================================

Each wrapper runs the float64 original first (with the context suspended, for the
eigenvectors and the validation), then substitutes the high-precision value and records it
in the active :class:`~verifythm.dynamics.precise.PrecisionLog`.  A precise evaluation that
fails or is out of its size bounds keeps the float64 value and is recorded as a failure,
never as a switch.  If an engine refactoring removes a wrapped name, :func:`install` raises
``RuntimeError`` naming it (the tests exercise every switch point).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import threading
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np

from verifythm.dynamics import precise_context as PC
from verifythm.dynamics import precise_engine as DP
from verifythm.dynamics.scaling import ldexp
from verifythm.linalg import precise as P

#: Attribute holding the float64 original on every wrapper.
ORIGINAL = "__verifythm_float64__"
_LOCK = threading.Lock()
_INSTALLED = False
#: Largest n (and d) of the n × n (d × d) matrices re-computed in high precision by the quantity hooks.
COHERENCE_MAX = 128
#: Largest n²p of a Gram matrix re-accumulated in mpmath (about 2 s at 10⁶).
GRAM_MAX = 1_000_000


def _try(log: PC.PrecisionLog, quantity: str, fn: Callable[[], Any]) -> Any:
    """``fn()``, or ``None`` after recording why it could not run."""
    try:
        return fn()
    except Exception as exc:  # the float64 value stands; the reason is logged
        log.fail(quantity, f"{type(exc).__name__}: {exc}")
        return None


def _critical(orig: Callable[..., Any]) -> Callable[..., Any]:
    from verifythm.dynamics.stability import CriticalLR

    def wrapper(noise: Any, *, method: str = "auto", xtol: float = 1e-13) -> Any:
        log = PC.active()
        if log is None:
            return orig(noise, method=method, xtol=xtol)
        with PC.suspended():
            crit, value_hat = orig(noise, method=method, xtol=xtol)
        if noise.family.rank == 0:
            return crit, value_hat

        def run() -> tuple[DP.PreciseValue, float]:
            import mpmath

            p = DP.critical_hat_precise(noise, log.dps, crit.eigenvector)
            lam = DP.lambda_max_hat_precise(noise.family, log.dps)
            with mpmath.workdps(log.dps):
                return p, P.to_float(2 / lam.value)

        out = _try(log, "η*", run)
        if out is None:
            return crit, value_hat
        p, gd_hat = out
        k = noise.normalized()[1]
        v = P.to_float(p.value)
        log.record("η*", p.kind, p.method)
        return CriticalLR(ldexp(v, -k), crit.eigenvector, crit.method, ldexp(gd_hat, -k)), v

    return wrapper


def _radius_hat(orig: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(noise: Any, e: float, *, method: str = "auto", start: Any = None) -> Any:
        log = PC.active()
        if log is None:
            return orig(noise, e, method=method, start=start)
        with PC.suspended():
            g, rq, X, defect, how = orig(noise, e, method=method, start=start)
        p = _try(log, "ρ", lambda: DP.growth_hat_precise(noise, e, log.dps, X))
        if p is None:
            return g, rq, X, defect, how
        log.record("ρ", p.kind, p.method)
        gp = P.to_float(p.value)
        return gp, gp, X, defect, how

    return wrapper


def _exact_constant(c: float, n: int) -> Fraction:
    """The rational noise constant c_s (denominator ≤ n²) that rounds to ``c``; else ``c`` itself."""
    f = Fraction(c).limit_denominator(max(n * n, 1))
    return f if float(f) == c else Fraction(c)


def _diagonal_moments(orig: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(D: np.ndarray, sampling_is_bernoulli: bool, c: Any) -> Any:
        log = PC.active()
        if log is None:
            return orig(D, sampling_is_bernoulli, c)

        def run() -> tuple[np.ndarray, np.ndarray]:
            # h_j = s1/(n2^E); q_j = h_j² + c v_j = (b s1² + a w)/(b n² 2^{2E}) with c = a/b and
            # w = n s2 − s1² (centred variance) or n s2 (Bernoulli): exact integers, one rounding
            n, r = np.shape(D)
            s1, s2, E = P.column_sums(D)
            w = [n * b if sampling_is_bernoulli else n * b - a * a for a, b in zip(s1, s2, strict=True)]
            carr = np.asarray(c, dtype=np.float64)
            cs = [_exact_constant(float(x), n) for x in carr.ravel()]
            den = (n * n) << (2 * E)
            q = np.array(
                [
                    [
                        P.int_ratio(cj.denominator * a * a + cj.numerator * wj, cj.denominator * den)
                        for a, wj in zip(s1, w, strict=True)
                    ]
                    for cj in cs
                ]
            )
            shape = np.broadcast_shapes(carr.shape, (r,))
            return np.array([P.int_ratio(a, n << E) for a in s1]), q.reshape(shape)

        out = _try(log, "η*", run)
        if out is None:
            return orig(D, sampling_is_bernoulli, c)
        log.record("η*", "exact", "diagonal moments exact, the final 2h/q division in float64")
        return out

    return wrapper


def _lambda_max(orig: Callable[[Any], float]) -> property:
    def fget(self: Any) -> float:
        log = PC.active()
        if log is None or self.rank == 0:
            return orig(self)
        p = _try(log, "λ₁(H)", lambda: DP.lambda_max_hat_precise(self, log.dps))
        if p is None:
            return orig(self)
        log.record("λ₁(H)", p.kind, p.method)
        return ldexp(P.to_float(p.value), self.exponent)

    fget.__doc__ = orig.__doc__
    return property(fget)


def _constructor(orig: Callable[..., Any], kind: str) -> classmethod[Any, ..., Any]:
    def ctor(cls: Any, data: Any, *args: Any, **kwargs: Any) -> Any:
        fam = orig(cls, data, *args, **kwargs)
        log = PC.active()
        if log is not None:
            _try(log, f"input of {kind}", lambda: DP.record_source(fam, kind, data))
        return fam

    functools.update_wrapper(ctor, orig)
    return classmethod(ctor)


def _check_hessians(orig: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        H, w = orig(*args, **kwargs)
        log = PC.active()
        if log is None or H.shape[0] > COHERENCE_MAX or H.shape[1] > COHERENCE_MAX:
            return H, w
        from verifythm.quantities.precise import slice_tops_precise

        out = _try(log, "λ₁(H_i)", lambda: slice_tops_precise(H, log.dps))
        if out is None:
            return H, w
        w = np.array(w, dtype=np.float64, copy=True)
        w[:, -1] = [P.to_float(t) for t in out[0]]
        log.record("λ₁(H_i)", out[1])
        return H, w

    return wrapper


def _top_eigenvalue(orig: Callable[[Any], float]) -> Callable[[Any], float]:
    def wrapper(M: Any) -> float:
        log = PC.active()
        if log is None or np.shape(M)[0] > COHERENCE_MAX:
            return orig(M)
        from verifythm.quantities.precise import top_eigenvalue_precise

        out = _try(log, "λ₁(S)", lambda: top_eigenvalue_precise(M, log.dps))
        if out is None:
            return orig(M)
        log.record("λ₁(S)", out[1])
        return P.to_float(out[0])

    return wrapper


def _gram(orig: Callable[..., Any], layout: str) -> Callable[..., Any]:
    def wrapper(data: Any, *args: Any, **kwargs: Any) -> Any:
        g = orig(data, *args, **kwargs)
        log = PC.active()
        if (
            log is None
            or not isinstance(data, (np.ndarray, list, tuple))
            or g.n * g.n * g.p > DP.SOURCE_SIZE_MAX
        ):
            return g
        from verifythm.quantities.precise import gram_hat_precise

        arr = np.asarray(data, dtype=np.float64)
        rows = arr.T if layout == "pn" else arr
        khat = _try(log, "K", lambda: gram_hat_precise(rows, g.scale, log.dps))
        if khat is None:
            return g
        log.record("K", "mpmath")
        return type(g)(khat=khat, scale=g.scale, p=g.p)

    return wrapper


def _noise_traces(orig: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(gram: Any, residuals: Any, *, name: str = "e") -> Any:
        log = PC.active()
        if log is None:
            return orig(gram, residuals, name=name)
        from verifythm.quantities.precise import noise_traces_exact

        nt = orig(gram, residuals, name=name)  # validation and the float64 fallback
        out = _try(log, "L, Tr(GΣₖ), ‖Σ‖_F", lambda: noise_traces_exact(gram, residuals, log.dps))
        if out is None:
            return nt
        log.record("L, Tr(GΣₖ), ‖Σ‖_F", "exact")
        return out

    return wrapper


def _alignment_matrices(orig: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(gram: Any) -> Any:
        D, M2 = orig(gram)  # validation and the float64 fallback
        log = PC.active()
        if log is None or gram.n > COHERENCE_MAX:
            return D, M2

        def run() -> tuple[np.ndarray, np.ndarray]:
            k, _ = P.dyadic(gram.khat)  # D = diag(χ)/χ̄ and M₂ = K²/‖K‖_F² are scale-free
            rows = (k * k).sum(axis=1)
            total = int(rows.sum())
            n = k.shape[0]
            K2 = k.dot(k)
            Dx = np.diag([P.int_ratio(int(v) * n, total) for v in rows])
            M2x = np.array([[P.int_ratio(int(v), total) for v in row] for row in K2])
            return Dx, M2x

        out = _try(log, "D, M₂", run)
        if out is None:
            return D, M2
        log.record("alignment matrices D, M₂", "exact")
        return out

    return wrapper


def _rayleigh_extremes(orig: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(A: Any, B: Any = None, *, basis: Any = None, **kwargs: Any) -> Any:
        r = orig(A, B, basis=basis, **kwargs)
        log = PC.active()
        if log is None or B is not None or np.shape(A)[0] > COHERENCE_MAX:
            return r

        def run() -> tuple[float, float, str]:
            import mpmath

            Af = np.asarray(A, dtype=np.float64)
            n = Af.shape[0]
            full = basis is None or (np.shape(basis)[1] >= n and np.linalg.matrix_rank(basis) == n)
            if full and not np.any(Af - np.diag(np.diag(Af))):  # diagonal (μ₁ at full rank)
                return float(np.min(np.diag(Af))), float(np.max(np.diag(Af))), "exact"
            with mpmath.workdps(log.dps):
                if full:
                    lo, hi, kind = P.extreme_eigs_mp(Af)
                elif n > P.EIG_FULL_MAX:  # the float64 extreme points of span(basis), exact quotients
                    Sym = (Af + Af.T) / 2
                    lo, hi, kind = (*(P.rayleigh_exact(Sym, x) for x in (r.x_inf, r.x_sup)), "refined")
                else:
                    U = P.orthonormal_columns_mp(np.asarray(basis, dtype=np.float64))
                    M = P.mpf_array(Af)
                    lo, hi, kind = P.extreme_eigs_mp(U.T.dot((M + M.T) / 2).dot(U))
                return P.to_float(lo), P.to_float(hi), kind

        out = _try(log, "inf/sup over θ", run)
        if out is None:
            return r
        log.record("inf/sup over θ of μ, μ₁, μ₂", out[2])
        return dataclasses.replace(r, inf=out[0], sup=out[1])

    return wrapper


def install() -> None:
    """Install the switch points (idempotent, thread-safe).

    Raises
    ------
    RuntimeError
        If a wrapped engine name no longer exists (the engine was refactored).
    """
    global _INSTALLED
    if _INSTALLED:
        return
    with _LOCK:
        if _INSTALLED:
            return
        from verifythm.dynamics.family import Family

        # by module path: the packages re-export functions named like their modules (``stability``,
        # ``coherence``), which shadow the submodules as package attributes
        st = importlib.import_module("verifythm.dynamics.stability")
        co = importlib.import_module("verifythm.quantities.coherence")
        al = importlib.import_module("verifythm.quantities.alignment")
        ex = importlib.import_module("verifythm.quantities.extremes")

        plain: list[tuple[Any, str, Callable[[Any], Any]]] = [
            (st, "_critical", _critical),
            (st, "_radius_hat", _radius_hat),
            (st, "diagonal_moments", _diagonal_moments),
            (co, "check_hessians", _check_hessians),
            (co, "top_eigenvalue", _top_eigenvalue),
            (co, "gram_from_gradients", lambda f: _gram(f, "np")),
            (al, "gram_from_Q", lambda f: _gram(f, "pn")),
            (al, "noise_traces", _noise_traces),
            (ex, "gram_from_gradients", lambda f: _gram(f, "np")),
            (ex, "gram_from_Q", lambda f: _gram(f, "pn")),
            (ex, "alignment_matrices", _alignment_matrices),
            (ex, "rayleigh_extremes", _rayleigh_extremes),
        ]
        missing = [f"{m.__name__}.{n}" for m, n, _ in plain if not callable(getattr(m, n, None))]
        missing += [
            f"Family.{n}"
            for n in ("lambda_max", "from_hessians", "from_gram", "from_gradients")
            if n not in vars(Family)
        ]
        if missing:
            raise RuntimeError(
                f"precise engine: the engine no longer has {', '.join(missing)}; update precise_hooks"
            )
        for mod, name, make in plain:
            orig = getattr(mod, name)
            if getattr(orig, ORIGINAL, None) is None:
                w = make(orig)
                functools.update_wrapper(w, orig)
                setattr(w, ORIGINAL, orig)
                setattr(mod, name, w)
        prop = vars(Family)["lambda_max"]
        if getattr(prop.fget, ORIGINAL, None) is None:
            new = _lambda_max(prop.fget)
            setattr(new.fget, ORIGINAL, prop.fget)
            Family.lambda_max = new  # type: ignore[method-assign,assignment]
        for name, kind in (
            ("from_hessians", "hessians"),
            ("from_gram", "gram"),
            ("from_gradients", "gradients"),
        ):
            cm = vars(Family)[name]
            if getattr(cm.__func__, ORIGINAL, None) is None:
                new_cm = _constructor(cm.__func__, kind)
                setattr(new_cm.__func__, ORIGINAL, cm.__func__)
                setattr(Family, name, new_cm)
        _INSTALLED = True
