r"""Practitioner commands on a family stored in an ``.npz`` file: ``stability`` and ``quantities``.

The file holds either ``hessians`` with shape ``(n, d, d)`` (per-sample Hessians) or
``gradients`` with shape ``(n, p)``: per-sample MODEL gradients :math:`g_i=\nabla_\theta
f(x_i;\theta)` (the rows of the Jacobian), giving the rank-one family :math:`H_i = g_ig_i^T`
of the square loss at a minimum.  Per-sample LOSS gradients :math:`(f(x_i)-y_i)g_i` are not
that: at an interpolating minimum they all vanish, which is detected and refused.
``quantities`` also accepts ``theta`` (a displacement θ − θ*, length p) or ``residuals``
(length n) and then prints the loss and the alignment factors μ, μ₁, μ₂ at that point;
``stability`` refuses them (the critical learning rate does not depend on a point).
Errors name the file, the array or the option at fault and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import numpy as np


ALLOWED_KEYS = ("hessians", "gradients", "theta", "residuals")


class FamilyInputError(Exception):
    """Bad input to a family command (printed, exit code 2)."""


def load_family_file(path: str) -> dict[str, np.ndarray]:
    """Read an ``.npz`` family file; exactly one of ``hessians``/``gradients`` must be present."""
    import numpy as np

    from verifythm.report.io import load_instance

    p = Path(path)
    if not p.is_file():
        raise FamilyInputError(f"FILE: no such file {path}")
    try:
        arrays = {k: np.asarray(v) for k, v in load_instance(p).items()}
    except (OSError, ValueError) as exc:  # empty, truncated, .npy renamed, random bytes …
        raise FamilyInputError(f"FILE: {exc}") from None
    unknown = sorted(set(arrays) - set(ALLOWED_KEYS))
    if unknown:
        raise FamilyInputError(f"FILE: {path} has unexpected arrays {unknown}; allowed: {list(ALLOWED_KEYS)}")
    has = [k for k in ("hessians", "gradients") if k in arrays]
    if len(has) != 1:
        raise FamilyInputError(
            f"FILE: {path} must contain exactly one of 'hessians' (n, d, d) or 'gradients' (n, p), "
            f"found {has or 'neither'}"
        )
    for k, a in arrays.items():
        if not np.issubdtype(a.dtype, np.number):
            raise FamilyInputError(f"{k}: expected a numeric array, got dtype {a.dtype}")
    return arrays


def _check_not_loss_gradients(arrays: dict[str, np.ndarray], path: str) -> None:
    """Refuse all-zero ``gradients``: the signature of per-sample loss gradients at a minimum."""
    import numpy as np

    g = arrays.get("gradients")
    if g is not None and g.size and not np.any(g):
        raise FamilyInputError(
            f"gradients: every gradient in {path} is zero. The commands expect per-sample MODEL "
            "gradients ∇θ f(x_i; θ) (rows of the Jacobian); per-sample LOSS gradients vanish at a minimum"
        )


def _check_backend_args(args: argparse.Namespace) -> None:
    from verifythm.backends import check_backend

    try:
        check_backend(args.backend, "--backend")
    except ValueError as exc:
        raise FamilyInputError(str(exc)) from None
    if args.device is not None and args.backend != "torch":
        raise FamilyInputError("--device: only used with --backend torch")


def _json_float(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def cmd_stability(args: argparse.Namespace, out: TextIO) -> int:
    """``verifythm stability FILE.npz --batch-size B --sampling S [--lr ETA] [--json]``."""
    from verifythm.dynamics import Family, NoiseModel, critical_learning_rate, parse_sampling, spectral_radius

    try:
        sampling = parse_sampling(args.sampling, "--sampling")
    except ValueError as exc:
        raise FamilyInputError(str(exc)) from None
    if args.lr is not None and not (math.isfinite(args.lr) and args.lr > 0):
        raise FamilyInputError(f"--lr: learning rate must be finite and > 0, got {args.lr}")
    _check_backend_args(args)
    arrays = load_family_file(args.file)
    extra = [k for k in ("theta", "residuals") if k in arrays]
    if extra:
        raise FamilyInputError(
            f"{extra[0]}: `stability` does not use a point (η* and ρ depend only on the family); "
            f"remove '{extra[0]}' from {args.file}, or use `verifythm quantities` for values at a point"
        )
    _check_not_loss_gradients(arrays, args.file)
    try:
        if "hessians" in arrays:
            fam = Family.from_hessians(arrays["hessians"])
        else:
            fam = Family.from_gradients(arrays["gradients"], backend=args.backend, device=args.device)
    except ValueError as exc:
        raise FamilyInputError(f"{args.file}: {exc}") from None
    B = args.batch_size
    if sampling.value == "gd" and B is not None:
        raise FamilyInputError("--batch-size: --sampling gd uses every sample (B = n); omit --batch-size")
    if B is None:
        if sampling.value != "gd":
            raise FamilyInputError(f"--batch-size: required for --sampling {sampling.value}")
        B = fam.n
    elif not 1 <= B <= fam.n:
        raise FamilyInputError(f"--batch-size: must lie in [1, n] = [1, {fam.n}], got {B}")
    noise = NoiseModel.build(fam, B, sampling)
    crit = critical_learning_rate(noise)
    rho = spectral_radius(noise, args.lr, start=crit.eigenvector) if args.lr is not None else None
    stable = None if rho is None else bool(args.lr <= crit.value)  # the stable set is (0, η*]
    if args.json:
        doc = {
            "critical_lr": _json_float(crit.value),
            "spectral_radius": None if rho is None else float(rho.value),
            "stable": stable,
            "sampling": sampling.value,
            "n": fam.n,
            "form": fam.form or "hessians",
            "batch_size": noise.batch_size,
        }
        out.write(json.dumps(doc) + "\n")
        return 0
    kind = (
        f"rank-one (gradients, p = {fam.dim}; {fam.form} form)" if fam.rank_one else f"dense (d = {fam.dim})"
    )
    out.write(f"family: n = {fam.n} per-sample Hessians, {kind}, rank H = {fam.rank}\n")
    out.write(f"sampling: {sampling.value}, batch size B = {noise.batch_size}, c_s = {noise.c:.6g}\n")
    out.write(f"lambda_1(H) = {fam.lambda_max:.10g}; GD threshold 2/lambda_1 = {crit.gd_threshold:.10g}\n")
    out.write(f"critical learning rate eta* = {crit.value:.10g}  (method: {crit.method})\n")
    if rho is not None:
        verdict = "mean-square stable" if stable else "mean-square UNSTABLE (escapes exponentially)"
        out.write(f"at eta = {args.lr:.10g}: spectral radius rho(T) = {rho.value:.12g} -> {verdict}\n")
    return 0


def cmd_quantities(args: argparse.Namespace, out: TextIO) -> int:
    """``verifythm quantities FILE.npz [--json]``: the papers' quantities of a family."""
    from verifythm.quantities.summary import family_summary

    _check_backend_args(args)
    arrays = load_family_file(args.file)
    _check_not_loss_gradients(arrays, args.file)
    try:
        summary = family_summary(**arrays, backend=args.backend, device=args.device)
    except ValueError as exc:
        raise FamilyInputError(f"{args.file}: {exc}") from None
    values: dict[str, Any] = dict(summary.as_dict())
    notes: list[str] = list(summary.notes)
    point = summary.at_point
    if args.json:
        doc = {k: (_json_float(v) if isinstance(v, float) else v) for k, v in values.items()}
        doc["form"] = summary.form
        if point is not None:
            doc["at_point"] = {k: _json_float(v) for k, v in point.items()}
        out.write(json.dumps(doc) + "\n")
        return 0
    for k, v in values.items():
        out.write(f"{k:>12} = {'—' if v is None else (f'{v:.10g}' if isinstance(v, float) else v)}\n")
    out.write(f"{'form':>12} = {summary.form}\n")
    if point is not None:
        where = "theta" if "theta" in arrays else "residuals"
        out.write(f"at the given {where} (residuals e = Qᵀ(θ−θ*) for theta):\n")
        for k, v in point.items():
            out.write(f"{k:>12} = {'—' if v is None else f'{v:.10g}'}\n")
    for note in notes:
        out.write(f"note: {note}\n")
    return 0


def _backend_options(sp: argparse.ArgumentParser) -> None:
    sp.add_argument(
        "--backend",
        default="numpy",
        choices=["numpy", "torch"],
        help="compute the Gram matrix of 'gradients' with numpy (default) or torch",
    )
    sp.add_argument("--device", default=None, help="torch device: cpu (default) or cuda")


def add_parsers(sub: Any) -> None:
    """Register ``stability`` and ``quantities`` on the CLI's sub-parser collection."""
    sp = sub.add_parser(
        "stability",
        help="critical learning rate and mean-square stability of linearized SGD for a family",
        description=(
            "Exact mean-square stability of linearized SGD at a minimum for the per-sample Hessians "
            "in FILE.npz ('hessians' (n, d, d) or 'gradients' (n, p))."
        ),
    )
    sp.add_argument("file", metavar="FILE.npz")
    sp.add_argument("--batch-size", type=int, default=None, metavar="B", help="batch size, 1 <= B <= n")
    sp.add_argument(
        "--sampling",
        default="with-replacement",
        help="with-replacement (default), without-replacement, bernoulli or gd",
    )
    sp.add_argument("--lr", type=float, default=None, metavar="ETA", help="learning rate to decide")
    sp.add_argument("--json", action="store_true", help="print one JSON object")
    _backend_options(sp)
    sp.set_defaults(func=cmd_stability)

    sp = sub.add_parser(
        "quantities",
        help="sharpness, coherence, alignment and norm uniformity of a family",
        description="The papers' quantities for the family in FILE.npz ('hessians' or 'gradients').",
    )
    sp.add_argument("file", metavar="FILE.npz")
    sp.add_argument("--json", action="store_true", help="print one JSON object")
    _backend_options(sp)
    sp.set_defaults(func=cmd_quantities)
