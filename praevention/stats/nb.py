"""Negative binomial (NB2) regression with frequency weights: the safety performance function of sites.

Model (Cameron & Trivedi 2013, *Regression Analysis of Count Data*, 2nd ed., §3.3; Hauer 1997, ch. 8, for
its use as a safety performance function): the count y of a site in a year is Poisson with mean m, and m
varies between sites of equal covariates as a gamma variable with mean μ = exp(x'β) and variance k·μ²:

    y ~ NB2(μ, k),  E[y] = μ,  Var[y] = μ + k μ².

``k`` is the overdispersion parameter of the Highway Safety Manual (2010, Part C, Appendix A; α in
Cameron & Trivedi). The log-likelihood of one observation, with r = 1/k,

    ℓ = lnΓ(y + r) − lnΓ(r) − lnΓ(y + 1) + r·ln(r/(r + μ)) + y·ln(μ/(r + μ)),

is maximised with analytic gradients (L-BFGS-B) over β and ln k. Frequency weights let identical rows
(thousands of empty reference sites) enter once: the fit equals the fit on the expanded data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special


@dataclass(frozen=True)
class NB2Fit:
    """Coefficients by covariate name, the overdispersion ``k`` and the number of (weighted) observations."""

    params: dict[str, float]
    k: float
    n: float
    converged: bool

    def predict(self, covariates: dict[str, np.ndarray]) -> np.ndarray:
        """μ for rows given as covariate name → values; a covariate the fit dropped (constant) is ignored."""
        eta = np.full(len(next(iter(covariates.values()))), self.params.get("const", 0.0))
        for name, beta in self.params.items():
            if name != "const":
                eta = eta + beta * np.asarray(covariates[name], dtype=float)
        return np.exp(eta)


def fit_nb2(y: np.ndarray, covariates: dict[str, np.ndarray], weights: np.ndarray | None = None) -> NB2Fit:
    """Maximum-likelihood NB2 fit of ``y`` on an intercept and ``covariates`` (name → column).

    Columns without variation are left out (an intercept carries them). Raises ``ValueError`` when there is
    nothing to fit (no observations or no count above zero)."""
    y = np.asarray(y, dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    if len(y) == 0 or w.sum() <= 0 or not (w * y).sum() > 0:
        raise ValueError("no counts to fit a safety performance function on")
    names = [n for n, col in covariates.items() if np.ptp(np.asarray(col, dtype=float)) > 0]
    X = np.column_stack([np.ones_like(y), *[np.asarray(covariates[n], dtype=float) for n in names]])
    p = X.shape[1]
    mean = (w * y).sum() / w.sum()

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        beta, log_k = theta[:p], theta[p]
        mu = np.exp(np.clip(X @ beta, -30, 30))
        r = np.exp(-log_k)
        ll = (
            special.gammaln(y + r)
            - special.gammaln(r)
            - special.gammaln(y + 1)
            + r * np.log(r / (r + mu))
            + y * np.log(mu / (r + mu))
        )
        grad_beta = ((y - mu) * r / (r + mu) * w) @ X
        grad_log_k = -r * (special.digamma(y + r) - special.digamma(r) + np.log(r / (r + mu)) + (mu - y) / (r + mu))
        return -float((w * ll).sum()), -np.r_[grad_beta, (w * grad_log_k).sum()]

    start = np.r_[np.log(mean), np.zeros(p - 1), np.log(0.5)]
    res = optimize.minimize(objective, start, jac=True, method="L-BFGS-B")
    params = {"const": float(res.x[0]), **{n: float(b) for n, b in zip(names, res.x[1:p], strict=True)}}
    return NB2Fit(params, float(np.exp(res.x[p])), float(w.sum()), bool(res.success))
