r"""Sharpness metrics of the loss Hessian :math:`H = \frac1n\sum_iH_i`.

* :math:`\lambda_1(H) = \|H\|_2` (sharpness; the GD stability quantity),
  :math:`\operatorname{Tr}H`, :math:`\|H\|_F` (the flatness SGD perceives,
  wu2022alignment, Theorem 3.3);
* **stable rank** :math:`\|H\|_F^2/\|H\|_2^2` — the name and definition used by
  dexter2024precise (§3.2.1, comparing with wu2022alignment); equal to :math:`1/\tau(H)`
  with τ of wu2022alignment, Lemma 2.4;
* **effective rank** :math:`\mathrm{srk}(H) = \operatorname{Tr}H/\|H\|_2` — the name and
  definition used by wang2023noise (Notation, "srk").

Both ranks lie in :math:`[1, \mathrm{rank}\,H]` and are undefined for :math:`H = 0`.

Inputs are per-sample Hessians ``hessians`` of shape ``(n, d, d)`` (each PSD), or
per-sample gradients ``gradients`` of shape ``(n, p)`` for the linearized square loss,
where :math:`H_i = g_ig_i^T` and :math:`H = G`; the latter path uses the
:math:`n\times n` Gram matrix and never forms :math:`H`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.gram import Gram, gram_from_gradients
from verifythm.linalg.psd import Array, check_psd, normalized_hessians, pow2_exponent

# the validator lives in linalg (dynamics.family needs it too); its public name here stays
from verifythm.linalg.psd import check_hessians as check_hessians

# the spectrum type lives below spectral and tall (both build it); its public names here stay
from verifythm.quantities.sharpness import HessianSpectrum as HessianSpectrum
from verifythm.quantities.sharpness import spectrum_from_eigenvalues as spectrum_from_eigenvalues
from verifythm.quantities.tall import tall_or_none


def hessian_spectrum(
    *, hessians: ArrayLike | None = None, gradients: ArrayLike | None = None, gram: Gram | None = None
) -> HessianSpectrum:
    r"""Sharpness metrics of :math:`H = \frac1n\sum_iH_i` from Hessians, gradients or a Gram matrix.

    With ``gradients`` (rows :math:`g_i`) or ``gram``, :math:`H_i = g_ig_i^T` (linearized
    square loss, wu2022alignment Eq. (4)), :math:`H = G` and every metric comes from
    the eigenvalues of :math:`K/n` (Appendix A); when :math:`p<n`, from those of :math:`G^TG/n`
    (:mod:`verifythm.quantities.tall`, numpy backend).  Give exactly one argument.

    Parameters
    ----------
    hessians
        Per-sample PSD Hessians, shape ``(n, d, d)``.
    gradients
        Per-sample gradients, shape ``(n, p)`` (array or memmap).
    gram
        A precomputed :class:`~verifythm.linalg.gram.Gram` of the gradients.

    Returns
    -------
    HessianSpectrum
        :math:`\lambda_1`, trace, Frobenius norm, stable rank (dexter2024precise) and effective
        rank (wang2023noise).

    Raises
    ------
    ValueError
        Naming the argument on malformed input, or if not exactly one is given.

    Examples
    --------
    >>> import numpy as np
    >>> s = hessian_spectrum(gradients=np.eye(2))  # H = I/2
    >>> (s.lambda_max, s.trace, s.stable_rank, s.effective_rank)
    (0.5, 1.0, 2.0, 2.0)
    """
    given = [
        k for k, v in (("hessians", hessians), ("gradients", gradients), ("gram", gram)) if v is not None
    ]
    if len(given) != 1:
        raise ValueError(
            f"hessians/gradients: give exactly one of hessians, gradients, gram (got {given or 'none'})"
        )
    if hessians is not None:
        Hn, e, _ = normalized_hessians(hessians)
        n, d, _ = Hn.shape
        Hbar = Hn.mean(axis=0)
        return spectrum_from_eigenvalues(n, d, np.linalg.eigvalsh((Hbar + Hbar.T) / 2), e)
    tall = tall_or_none(gradients)
    if tall is not None:  # p < n: the p × p form is the smaller
        return tall.spectrum()
    g = gram if gram is not None else gram_from_gradients(gradients)  # type: ignore[arg-type]
    w = g._eig[0] / g.n
    # K = scale²·K̂ with the scale a power of two
    return spectrum_from_eigenvalues(g.n, g.p, w, 2 * pow2_exponent(g.scale))


def _eigenvalues_nonzero(H: ArrayLike, quantity: str) -> Array:
    """Ascending eigenvalues of the PSD matrix ``H`` divided by a power of two (ratios are exact).

    Raises ``ValueError`` if ``H`` is zero.  The power-of-two normalisation keeps tiny
    (subnormal) and huge matrices at full precision.
    """
    a = check_psd(H, "H")
    m = float(np.max(np.abs(a))) if a.size else 0.0
    e = pow2_exponent(m) if m > 0 else 0
    w = np.linalg.eigvalsh(np.ldexp(a, -e))
    if w.size == 0 or w[-1] <= 0:
        raise ValueError(f"H: is zero; the {quantity} is undefined")
    if w[0] < -1e-10 * w[-1]:  # check_psd's absolute floor cannot see this for subnormal H
        raise ValueError(f"H: matrix is not positive semi-definite (λ_min = {float(np.ldexp(w[0], e)):.3g})")
    return w


def stable_rank(H: ArrayLike) -> float:
    r"""Stable rank :math:`\|H\|_F^2/\|H\|_2^2` of a PSD matrix (dexter2024precise, §3.2.1).

    Raises
    ------
    ValueError
        Naming ``H`` if it is not PSD or is zero.

    Examples
    --------
    >>> import numpy as np
    >>> stable_rank(np.diag([2.0, 1.0, 1.0]))
    1.5
    """
    w = _eigenvalues_nonzero(H, "stable rank")
    w = np.clip(w / w[-1], 0.0, None)
    return float(np.sum(w * w))


def effective_rank(H: ArrayLike) -> float:
    r"""Effective rank :math:`\mathrm{srk}(H) = \operatorname{Tr}H/\|H\|_2` (wang2023noise, Notation).

    Raises
    ------
    ValueError
        Naming ``H`` if it is not PSD or is zero.

    Examples
    --------
    >>> import numpy as np
    >>> effective_rank(np.diag([2.0, 1.0, 1.0]))
    2.0
    """
    w = _eigenvalues_nonzero(H, "effective rank")
    return float(np.sum(np.clip(w, 0.0, None)) / w[-1])
