"""Seeded simulation studies with known truth: does the published procedure keep its promises?

**Kreis crime designs** (:func:`kreis_panel`, :func:`kreis_replicate`, :func:`kreis_study`). One treated
Kreis among about 200 others in 16 Länder of unequal size, 11 years of counts, a measure starting in the
middle year (a transition year, as in the designs), five years before and five after. The data-generating
process is deliberately *not* the estimator's model: the comparison-group design assumes that the treated
unit's standardised change relative to its Land is exchangeable with the comparison units'; the scenarios
(:data:`SCENARIOS`) break that assumption in the ways real Kreis series do. Each replication runs the
production code path unchanged: the panel rows go into :class:`~praevention.evaluation.inputs.EvaluationData`,
the design into :func:`~praevention.evaluation.rows.design_rows` (comparison pool rule, minimum case
count, comparison-group design with its pre-trend test, headline rule with the synthetic control as
fallback), and the naive before/after comparison is computed beside it for contrast.

The log expected count of unit i in year t is

    log μ_it = log P_it + a_i + δ_t + λ_{L(i),t} + β_i (t − t̄) + e_it + s · [i ∈ L_treated, t ≥ start]

with P_it the population (median :data:`POP_MEDIAN`, slow unit-specific growth), a_i the unit's rate level,
δ_t a national trend with year shocks, λ_{L,t} Land-year shocks, β_i unit trends, e_it the unit's
extra-Poisson noise: a random walk w_it with yearly steps of sd :data:`WALK_SD` (in every scenario) plus
stationary AR(1) noise with marginal sd :data:`NOISE_SD` (optionally larger for smaller units); s a Land-wide
shift.

**Noise at the level of the real data.** Year-to-year noise alone (sd 0.07, as measured) averages out over the
before and after years: a design's collapsed change relative to the rest of the Land then scatters by 0.054
across Kreise, half of the 0.112 of the real street-crime series (before 2014–2017, after 2020–2024;
``benchmarks/simulation_study.py --describe-warehouse``). What the real series have beyond it persists, but not
as linear trends: the slopes of a Kreis's 2014–2018 and 2019–2024 series are uncorrelated (0.02), while the
spread of its k-year changes grows with k (sd 0.11, 0.13, 0.14, 0.16 for k = 1, 3, 5, 8), as a random walk's
does. The random walks with steps of :data:`WALK_SD` = 4 % a year bring the simulated design-level spread to
that of the real data (:func:`design_spread`: 0.112 against 0.112), so that the simulated power and minimum
detectable effects are those of real designs, not twice as optimistic. Counts are Poisson given μ; the measure multiplies the treated unit's expected
count by the true rate ratio from the start year on (exactly, by binomial thinning of the same draw, so that
the replications with and without an effect share their noise). The magnitudes (:data:`RATE_PER_100K`,
:data:`NOISE_SD`, :data:`LAND_YEAR_SD`, ...) are those of the PKS street-crime series (key 899000) of the
400 Kreise 2014–2024, rounded (``benchmarks/simulation_study.py --describe-warehouse``); the national trend
(:data:`NATIONAL_TREND`) is an assumption that only the naive comparison sees.

**Empirical Bayes under regression to the mean** (:func:`eb_sites`, :func:`eb_study`): sites whose true
means scatter around a safety performance function (gamma heterogeneity, NB2 with overdispersion k); the
treated sites are selected after a bad before-period (the top share of before counts), which is exactly
when regression to the mean misleads naive before/after comparisons.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from praevention.stats.methods import EB, NAIVE, SYNTH

# --------------------------------------------------------------------------- Kreis crime designs
YEARS = tuple(range(2014, 2025))
START = 2019  # transition year: before 2014–2018, after 2020–2024
#: Kreise per Land: the real numbers halved, except the treated Land (Sachsen-Anhalt, 14 Kreise);
#: Länder with fewer than three Kreise have no "rest of the Land" and leave the pool, as in production
LAND_SIZES = {
    "01": 8,
    "02": 1,
    "03": 23,
    "04": 1,
    "05": 27,
    "06": 13,
    "07": 18,
    "08": 22,
    "09": 48,
    "10": 3,
    "11": 1,
    "12": 9,
    "13": 4,
    "14": 7,
    "15": 14,
    "16": 11,
}
TREATED_LAND = "15"
INDICATOR = "pks:899000"
POP_MEDIAN = 155_000.0
POP_SDLOG = 0.6
POP_RANGE = (34_000.0, 1_500_000.0)
POP_GROWTH_SD = 0.004  # per year
RATE_PER_100K = 900.0
RATE_SDLOG = 0.5
NATIONAL_TREND = -0.02  # per year
NATIONAL_YEAR_SD = 0.03
LAND_YEAR_SD = 0.045
NOISE_SD = 0.07
#: sd of the yearly steps of each unit's random walk in every scenario: the real series' persistent part
WALK_SD = 0.04
#: how the noise beyond Poisson grows for smaller Kreise in scenario g (street crime and all offences: 0.35)
SIZE_POWER = 0.35


@dataclass(frozen=True)
class Scenario:
    """What breaks the estimator's assumptions in one scenario (defaults: the baseline)."""

    label: str
    rho: float = 0.0  # AR(1) coefficient of the unit noise
    trend_sd: float = 0.0  # sd of the unit-specific linear trends (log scale per year)
    walk_sd: float = WALK_SD  # sd of the yearly steps of the units' random walks (log scale)
    land_shock: float = 0.0  # log shift of every unit of the treated Land from the start year on
    #: how the treated Kreis of the treated Land is chosen: at random (""), after its worst year ("worst_year":
    #: the highest residual in the year before the start) or after the steepest rise ("rising": the highest
    #: slope of its before years)
    selection: str = ""
    size_power: float = 0.0  # unit noise sd ∝ (population / median) ** −size_power
    treated_size: str = "random"  # "random", "smallest", "largest" unit of all


SCENARIOS: dict[str, Scenario] = {
    "a_independent": Scenario("independent years"),
    "b_ar1_0.3": Scenario("AR(1) errors, ρ = 0.3", rho=0.3),
    "c_ar1_0.6": Scenario("AR(1) errors, ρ = 0.6", rho=0.6),
    "d_unit_trends": Scenario("unit-specific linear trends, sd 1 %/year (besides the random walks)", trend_sd=0.01),
    "e_land_shock": Scenario("Land-wide shock of −20 % from the start year", land_shock=math.log(0.8)),
    "f_bad_year": Scenario(
        "treated Kreis chosen after its worst year (highest residual in the year before the start)",
        selection="worst_year",
    ),
    "h_rising_trend": Scenario(
        "treated Kreis chosen on a rising trend (steepest rise over its before years)", selection="rising"
    ),
    "i_before_peak": Scenario(
        "treated Kreis chosen after its worst year, persistent noise (AR(1), ρ = 0.5)",
        rho=0.5,
        selection="worst_year",
    ),
    "g_small_unit": Scenario(
        "noise sd ∝ population^−0.35, treated: the smallest Kreis", size_power=SIZE_POWER, treated_size="smallest"
    ),
    "g_large_unit": Scenario(
        "noise sd ∝ population^−0.35, treated: the largest Kreis", size_power=SIZE_POWER, treated_size="largest"
    ),
    "g_small_unit_strong": Scenario(
        "noise sd ∝ population^−0.5, treated: the smallest Kreis", size_power=0.5, treated_size="smallest"
    ),
}


@dataclass(frozen=True)
class KreisDraw:
    """One simulated Land system: the panel rows in the warehouse's shape and the treated Kreis."""

    rows: pd.DataFrame
    treated: str


def _ar1(rng: np.random.Generator, sd: np.ndarray, rho: float, n_years: int) -> np.ndarray:
    """Stationary AR(1) series (units × years) with marginal standard deviation ``sd`` per unit."""
    z = rng.standard_normal((len(sd), n_years))
    e = np.empty_like(z)
    e[:, 0] = z[:, 0]
    for t in range(1, n_years):
        e[:, t] = rho * e[:, t - 1] + math.sqrt(1 - rho**2) * z[:, t]
    return e * sd[:, None]


def _apply_effect(rng: np.random.Generator, counts: np.ndarray, mu: np.ndarray, rr: float) -> np.ndarray:
    """Counts of Poisson(μ·rr) from counts of Poisson(μ): binomial thinning (rr ≤ 1) or an added
    Poisson(μ·(rr − 1)) (rr > 1); both exact."""
    if rr <= 1:
        return rng.binomial(counts.astype(np.int64), rr)
    return counts + rng.poisson(mu * (rr - 1))


def kreis_panel(rng: np.random.Generator, scenario: Scenario, true_rr: float) -> KreisDraw:
    """Draw one panel of the scenario (see the module docstring for the model)."""
    lands = np.repeat(list(LAND_SIZES), list(LAND_SIZES.values()))
    units = np.array([f"{land}{i:03d}" for land, i in zip(lands, range(len(lands)), strict=True)])
    n, years = len(units), np.array(YEARS)
    t = years - years.mean()
    pop0 = np.clip(POP_MEDIAN * np.exp(rng.normal(0, POP_SDLOG, n)), *POP_RANGE)
    candidates = np.flatnonzero(lands == TREATED_LAND)
    treated = int(rng.choice(candidates))
    if scenario.treated_size != "random":
        extreme = int(np.argmin(pop0) if scenario.treated_size == "smallest" else np.argmax(pop0))
        pop0[[treated, extreme]] = pop0[[extreme, treated]]
    population = pop0[:, None] * np.exp(rng.normal(0, POP_GROWTH_SD, n)[:, None] * t)
    level = math.log(RATE_PER_100K / 1e5) + rng.normal(0, RATE_SDLOG, n)
    national = NATIONAL_TREND * t + rng.normal(0, NATIONAL_YEAR_SD, len(years))
    land_year = {land: rng.normal(0, LAND_YEAR_SD, len(years)) for land in LAND_SIZES}
    trend = rng.standard_normal(n) * scenario.trend_sd  # drawn in every scenario: they share their streams
    walk = np.cumsum(rng.standard_normal((n, len(years))), axis=1) * scenario.walk_sd
    noise_sd = NOISE_SD * (pop0 / POP_MEDIAN) ** -scenario.size_power
    expected = (
        np.log(population)
        + level[:, None]
        + national
        + np.array([land_year[land] for land in lands])
        + trend[:, None] * t
        + walk
        + scenario.land_shock * ((lands == TREATED_LAND)[:, None] & (years >= START))
    )
    mu = np.exp(expected + _ar1(rng, noise_sd, scenario.rho, len(years)))
    counts = rng.poisson(mu)
    # selection sees only the Kreis's own series against the national one (what a council can see)
    observed = np.log((counts[candidates] + 0.5) / population[candidates]) - national
    if scenario.selection == "worst_year":
        last = int(np.flatnonzero(years < START)[-1])
        treated = int(candidates[np.argmax(observed[:, last] - observed[:, : last - 1].mean(1))])
    elif scenario.selection == "rising":
        before = np.flatnonzero(years < START - 1)
        tb = t[before] - t[before].mean()
        treated = int(candidates[np.argmax(observed[:, before] @ tb)])
    after = years >= START
    counts[treated, after] = _apply_effect(rng, counts[treated, after], mu[treated, after], true_rr)
    rows = pd.DataFrame(
        {
            "unit_ags": np.repeat(units, len(years)),
            "unit_level": "Kreis",
            "year": np.tile(years, n),
            "month": pd.NA,
            "indicator": INDICATOR,
            "indicator_label": "Straßenkriminalität (simuliert)",
            "count": counts.ravel().astype(float),
            "population": population.ravel(),
            "comparison_eligible": True,
        }
    )
    return KreisDraw(rows, str(units[treated]))


#: the window of :func:`design_spread`: the simulation's before years and after years
SPREAD_WINDOW = ((2014, 2015, 2016, 2017), (2020, 2021, 2022, 2023, 2024))


def spread(data, indicator: str) -> float:
    """The design-level spread of a panel: the standard deviation across Kreise of the collapsed change
    between the :data:`SPREAD_WINDOW` years relative to the rest of the Land (the quantity the
    comparison-group design's placebos scatter by). ``data``: an :class:`EvaluationData`."""
    from praevention.stats.did import changes

    panel, eligible = data.count_panel(indicator, "Kreis")
    d = changes(panel, *SPREAD_WINDOW, regional=True).d
    return float(np.nanstd(d[eligible & np.isfinite(d)]))


def design_spread(scenario: Scenario, *, reps: int = 20, seed: int = 5) -> float:
    """:func:`spread` of simulated panels of ``scenario`` (mean over ``reps`` draws, no effect)."""
    from praevention.evaluation.inputs import EvaluationData

    out = []
    for rep in range(reps):
        draw = kreis_panel(np.random.default_rng([seed, rep]), scenario, 1.0)
        kinds = dict.fromkeys(draw.rows["unit_ags"].unique(), "Landkreis")
        out.append(spread(EvaluationData(draw.rows, kinds, TREATED_LAND), INDICATOR))
    return float(np.mean(out))


def kreis_replicate(scenario: Scenario, true_rr: float, seed: int, rep: int) -> dict[str, object]:
    """One replication through the production code path: the headline row and the naive comparison.

    The random stream depends on ``(seed, rep)`` only, so replications with different true effects or
    scenarios share their random numbers wherever the scenarios agree."""
    from praevention.evaluation.design import Design, periods
    from praevention.evaluation.evaluator import Evaluator
    from praevention.evaluation.inputs import EvaluationData
    from praevention.evaluation.rows import design_rows

    draw = kreis_panel(np.random.default_rng([seed, rep]), scenario, true_rr)
    kinds = dict.fromkeys(draw.rows["unit_ags"].unique(), "Landkreis")
    ev = Evaluator(EvaluationData(draw.rows, kinds, TREATED_LAND), {})
    d = Design(
        measure_id=f"SIM-{rep}",
        body_id="",
        label="simulated measure",
        group="",
        domain="crime",
        indicator=INDICATOR,
        unit_ags=draw.treated,
        unit_level="Kreis",
        start=dt.date(START, 7, 1),
        end=None,
        before=periods(tuple(YEARS), START)[0],
        after=periods(tuple(YEARS), START)[1],
    )
    head = next(r for r in design_rows(ev, d, lazy=True) if r["headline"])
    naive = ev.naive(d)
    return {
        "headline_method": head["method"] if head["evaluable"] else None,
        "estimate": head["estimate"],
        "ci_low": head["ci_low"],
        "ci_high": head["ci_high"],
        "mde_80": head["mde_80"],
        "naive_estimate": naive.estimate,
        "naive_ci_low": naive.ci_low,
        "naive_ci_high": naive.ci_high,
    }


def interval_summary(estimate: np.ndarray, lo: np.ndarray, hi: np.ndarray, true_rr: float) -> dict[str, float]:
    """Bias of the log estimate, coverage of the true ratio, share of intervals excluding 1 (the
    false-positive rate when the true ratio is 1, the power otherwise) and share below 1 (a claimed
    reduction: a false success when the true ratio is 1)."""
    if not len(estimate):
        return {"bias_log": math.nan, "coverage": math.nan, "excludes_1": math.nan, "below_1": math.nan}
    return {
        "bias_log": float(np.mean(np.log(estimate)) - math.log(true_rr)),
        "coverage": float(np.mean((lo <= true_rr) & (true_rr <= hi))),
        "excludes_1": float(np.mean((hi < 1) | (lo > 1))),
        "below_1": float(np.mean(hi < 1)),
    }


def kreis_study(name: str, *, reps: int, true_rr: float, seed: int) -> dict[str, object]:
    """Summary of ``reps`` replications of scenario ``name``: the headline's bias, coverage, share of
    intervals excluding 1, share "nicht eindeutig auswertbar", share of synthetic-control headlines and
    median ``mde_80``; the naive comparison's bias, coverage and share excluding 1."""
    runs = pd.DataFrame([kreis_replicate(SCENARIOS[name], true_rr, seed, rep) for rep in range(reps)])
    head = runs[runs["headline_method"].notna()]
    h = interval_summary(*(head[c].to_numpy(float) for c in ("estimate", "ci_low", "ci_high")), true_rr)
    nv = interval_summary(*(runs[f"naive_{c}"].to_numpy(float) for c in ("estimate", "ci_low", "ci_high")), true_rr)
    return {
        "scenario": name,
        "label": SCENARIOS[name].label,
        "reps": reps,
        "true_rr": true_rr,
        **h,
        "not_evaluable": float(runs["headline_method"].isna().mean()),
        "synthetic_control": float((runs["headline_method"] == SYNTH).mean()),
        "mde_80": float(head["mde_80"].astype(float).median()) if len(head) else math.nan,
        **{f"naive_{k}": v for k, v in nv.items()},
    }


# --------------------------------------------------------------------------- Empirical Bayes
def eb_sites(
    rng: np.random.Generator,
    *,
    n_sites: int = 400,
    n_reference: int = 400,
    k: float = 0.4,
    years_before: int = 3,
    years_after: int = 3,
    true_theta: float = 0.8,
    treated_share: float = 0.1,
    beta: tuple[float, float] = (-6.0, 0.8),
) -> tuple[pd.DataFrame, np.ndarray]:
    """Site-year counts (site, year, count, exposure, period, reference) and the indices of treated sites.

    The first ``n_sites`` are candidates: those with the highest before counts (``treated_share``) get the
    measure. The last ``n_reference`` sites form the reference group for the SPF: same population of
    sites, never selected, never treated.
    """
    total = n_sites + n_reference
    exposure = rng.lognormal(9.0, 0.8, total)
    years = np.arange(years_before + years_after)
    year_effect = -0.03 * years
    mu = np.exp(beta[0] + beta[1] * np.log(exposure))[:, None] * np.exp(year_effect)[None, :]
    g = rng.gamma(1 / k, k, total)  # site heterogeneity around the SPF, constant over the years
    counts = rng.poisson(mu * g[:, None])
    before = counts[:n_sites, :years_before].sum(1)
    order = np.argsort(-before, kind="stable")
    treated = np.sort(order[: max(1, int(treated_share * n_sites))])
    after_mu = mu[treated][:, years_before:] * g[treated][:, None] * true_theta
    counts[np.ix_(treated, years[years_before:])] = rng.poisson(after_mu)
    s, y = np.meshgrid(np.arange(total), years, indexing="ij")
    frame = pd.DataFrame(
        {
            "site": s.ravel(),
            "year": y.ravel(),
            "count": counts.ravel().astype(float),
            "exposure": exposure[s].ravel(),
            "period": np.where(y.ravel() < years_before, "before", "after"),
            "reference": (s.ravel() >= n_sites),
        }
    )
    return frame, treated


EB_ESTIMATORS = (EB, NAIVE)


def eb_replicate(rng: np.random.Generator, true_rr: float) -> dict[str, tuple[float, float, float]]:
    """One replication: (estimate, ci_low, ci_high) of each of :data:`EB_ESTIMATORS` on the rate-ratio scale.

    Both run on the same :func:`eb_sites` draw (sites selected after a bad before-period), so the naive
    estimator meets regression to the mean exactly where Empirical Bayes corrects for it.
    """
    from praevention.stats.eb import eb_sites as eb_estimate
    from praevention.stats.eb import fit_spf
    from praevention.stats.naive import naive_before_after

    frame, treated = eb_sites(rng, true_theta=true_rr)
    spf = fit_spf(frame[frame["reference"]])
    frame["predicted"] = spf.predict(frame["exposure"].to_numpy(), frame["year"].to_numpy())
    g = (
        frame[frame["site"].isin(treated)]
        .groupby(["site", "period"])
        .agg(o=("count", "sum"), p=("predicted", "sum"))
        .unstack()
    )
    naive = naive_before_after(g[("o", "before")].sum(), 3.0, g[("o", "after")].sum(), 3.0)
    sites = pd.DataFrame(
        {
            "observed_before": g[("o", "before")],
            "predicted_before": g[("p", "before")],
            "observed_after": g[("o", "after")],
            "predicted_after": g[("p", "after")],
        }
    )
    eb = eb_estimate(sites, spf.k)
    return {e.method: (e.estimate, e.ci_low, e.ci_high) for e in (eb, naive)}


def eb_study(*, reps: int = 200, true_rr: float = 0.8, seed: int = 20261127) -> dict[str, dict[str, object]]:
    """Per estimator: geometric mean estimate, bias of the log estimate and 95 % interval coverage over
    ``reps`` seeded replications."""
    rng = np.random.default_rng(seed)
    runs = [eb_replicate(rng, true_rr) for _ in range(reps)]
    out = {}
    for estimator in EB_ESTIMATORS:
        draws = np.array([r[estimator] for r in runs])
        out[estimator] = {
            "estimator": estimator,
            "reps": reps,
            "true_rr": true_rr,
            "mean_estimate": float(np.exp(np.log(draws[:, 0]).mean())),
            **interval_summary(draws[:, 0], draws[:, 1], draws[:, 2], true_rr),
        }
    return out
