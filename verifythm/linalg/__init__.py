"""Linear-algebra utilities: PSD validation, square roots, range-restricted eigenproblems."""

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
    "as_finite",
    "check_positive",
    "check_psd",
    "check_symmetric",
    "is_psd",
    "psd_sqrt",
    "quad",
    "range_eigh",
]
