"""Linear algebra: PSD validation, Gram-trick forms, generalized eigenproblems, principal angles."""

from verifythm.linalg.angles import (
    davis_kahan_bound,
    davis_kahan_vector_bound,
    eigenspace_angles,
    orthonormal_basis,
    pairwise_sin_theta,
    principal_angles,
    principal_cosines,
    sin_theta_distance,
    top_eigenspace,
)
from verifythm.linalg.geneig import (
    RatioExtremes,
    quadratic_ratio,
    rayleigh_extremes,
)
from verifythm.linalg.gram import (
    Gram,
    NoiseTraces,
    gram_from_blocks,
    gram_from_gradients,
    gram_from_matrix,
    gram_from_Q,
    noise_traces,
    top_eigenvalue,
)
from verifythm.linalg.psd import (
    as_finite,
    check_positive,
    check_psd,
    check_symmetric,
    is_psd,
    psd_sqrt,
    quad,
    range_eigh,
)

__all__ = [
    "Gram",
    "NoiseTraces",
    "RatioExtremes",
    "as_finite",
    "check_positive",
    "check_psd",
    "check_symmetric",
    "davis_kahan_bound",
    "davis_kahan_vector_bound",
    "eigenspace_angles",
    "gram_from_Q",
    "gram_from_blocks",
    "gram_from_gradients",
    "gram_from_matrix",
    "is_psd",
    "noise_traces",
    "orthonormal_basis",
    "pairwise_sin_theta",
    "principal_angles",
    "principal_cosines",
    "psd_sqrt",
    "quad",
    "quadratic_ratio",
    "range_eigh",
    "rayleigh_extremes",
    "sin_theta_distance",
    "top_eigenspace",
    "top_eigenvalue",
]
