"""The simulation study behind docs/methods.md: does the published procedure keep its promises?

    uv run python benchmarks/simulation_study.py [--reps 400] [--eb-reps 200] [--seed 20261202] [--scenarios a,b]
    uv run python benchmarks/simulation_study.py --describe-warehouse PATH [--indicator pks:899000]

The first form prints two Markdown tables. (1) Kreis crime designs (:mod:`praevention.evaluation.simulate`): for
every scenario and the true rate ratios 1.0 and 0.8, the headline's bias (log scale), coverage of the true
ratio, share of 95 % intervals that exclude 1 (false-positive rate at 1.0, power at 0.8), how often the
synthetic control was the headline, how often the design was "nicht eindeutig auswertbar", the median
``mde_80``, and the naive before/after comparison beside it. (2) Empirical Bayes against the naive
comparison under regression to the mean. Fixed seeds; tests/stats/test_simulation.py asserts the same
properties on fewer replications of the same random streams.

The second form prints the magnitudes of a real warehouse's PKS Kreis series (levels, year-to-year noise,
trends, Land-year shocks, autocorrelation, size dependence, the design-level spread beside the simulated
one), from which the simulation's parameters are taken.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd

from praevention.evaluation.simulate import SCENARIOS, SPREAD_WINDOW, design_spread, eb_study, kreis_study, spread

SEED = 20261202
EB_SEED = 20261127
TRUE_RATIOS = (1.0, 0.8)


def pct(x: float) -> str:
    return "–" if math.isnan(x) else f"{x:.1%}"


def kreis_table(reps: int, seed: int, names: list[str]) -> None:
    print(
        "| scenario | true RR | bias (log) | coverage | interval excludes 1 | interval below 1 | synthetic control | "
        "nicht eindeutig auswertbar | median mde_80 | naive: bias (log) | naive: coverage | naive: excludes 1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name in names:
        scenario = SCENARIOS[name]
        for rr in TRUE_RATIOS:
            started = time.perf_counter()
            r = kreis_study(name, reps=reps, true_rr=rr, seed=seed)
            print(
                f"| {name}: {scenario.label} | {rr:.1f} | {r['bias_log']:+.3f} | {pct(r['coverage'])} | "
                f"{pct(r['excludes_1'])} | {pct(r['below_1'])} | {pct(r['synthetic_control'])} | "
                f"{pct(r['not_evaluable'])} | "
                f"{r['mde_80']:.3f} | {r['naive_bias_log']:+.3f} | {pct(r['naive_coverage'])} | "
                f"{pct(r['naive_excludes_1'])} |  <!-- {time.perf_counter() - started:.0f} s -->",
                flush=True,
            )


def eb_table(reps: int) -> None:
    print("| estimator | replications | true RR | geometric mean estimate | bias (log) | 95 % coverage |")
    print("|---|---|---|---|---|---|")
    for r in eb_study(reps=reps, seed=EB_SEED).values():
        print(
            f"| {r['estimator']} | {r['reps']} | {r['true_rr']:.2f} | {r['mean_estimate']:.3f} | "
            f"{r['bias_log']:+.3f} | {pct(r['coverage'])} |",
            flush=True,
        )


def robust_sd(x: np.ndarray) -> float:
    """1.4826 × the median absolute deviation: the standard deviation of a normal core, blind to outliers."""
    x = np.asarray(x, float).ravel()
    return float(1.4826 * np.median(np.abs(x - np.median(x))))


def describe_warehouse(path: str, indicator: str) -> None:
    """The magnitudes of one indicator's complete Kreis series in Länder with at least three Kreise."""
    from praevention import warehouse

    con = warehouse.connect(path, read_only=True, spatial=False)
    rows = con.execute(
        "select unit_ags, year, count, population from panel where unit_level = 'Kreis' and indicator = ? "
        "and month is null and comparison_eligible",
        [indicator],
    ).df()
    counts = rows.pivot(index="unit_ags", columns="year", values="count")
    pop = rows.pivot(index="unit_ags", columns="year", values="population")
    land = counts.index.str[:2]
    sizes = pd.Series(land).value_counts()
    keep = (counts.notna().all(1) & pop.notna().all(1) & (counts > 0).all(1)).to_numpy()
    keep &= (pd.Series(land).map(sizes) >= 3).to_numpy()
    counts, pop, land = counts[keep], pop[keep], land[keep]
    log_rate = np.log(counts / pop)
    demeaned = log_rate.sub(log_rate.mean(1), axis=0)
    land_year = demeaned.groupby(land).transform("mean")
    resid = (demeaned - land_year).to_numpy()
    t = np.arange(resid.shape[1]) - (resid.shape[1] - 1) / 2
    slope = resid @ t / (t @ t)
    detrended = resid - np.outer(slope, t)
    poisson = float(np.median(1 / counts.to_numpy()))
    extra = math.sqrt(max(robust_sd(detrended) ** 2 - poisson, 0.0))
    lag1 = float(np.sum(detrended[:, :-1] * detrended[:, 1:]) / np.sum(detrended**2))
    size = pop.mean(1).to_numpy()
    quartile = pd.qcut(size, 4, labels=False)
    q_pop = [float(np.median(size[quartile == q])) for q in range(4)]
    q_poisson = [float(np.median(1 / counts.to_numpy()[quartile == q])) for q in range(4)]
    by_size = [math.sqrt(max(robust_sd(detrended[quartile == q]) ** 2 - v, 0.0)) for q, v in enumerate(q_poisson)]
    power = -np.polyfit(np.log(q_pop), np.log(by_size), 1)[0]
    c = counts.median(1)
    years = f"{counts.columns[0]}–{counts.columns[-1]}"
    print(f"{indicator}: {len(counts)} Kreise in {len(set(land))} Länder, years {years}")
    print(
        f"- annual count per Kreis: median {c.median():.0f} (10 % {c.quantile(0.1):.0f}, 90 % {c.quantile(0.9):.0f}); "
        f"population median {np.median(size):,.0f}, sd of log population {np.log(size).std():.2f}"
    )
    level = log_rate.mean(1)
    print(f"- rate level: median {np.exp(level.median()) * 1e5:.0f} per 100,000, sd of log rate {level.std():.2f}")
    print(f"- Land-year shocks: sd {float(land_year.groupby(land).first().std(0).mean()):.3f}")
    print(f"- unit trends: robust sd of the slopes {robust_sd(slope):.4f} per year")
    print(
        f"- year-to-year noise after unit level, Land-year and trend: robust sd {robust_sd(detrended):.3f}, "
        f"of which beyond Poisson {extra:.3f}; lag-1 autocorrelation {lag1:+.2f} (biased towards −1/T in short series)"
    )
    print(
        "- noise beyond Poisson by population quartile (median population: sd): "
        + ", ".join(f"{p:,.0f}: {s:.3f}" for p, s in zip(q_pop, by_size, strict=True))
        + f" (sd ∝ population^−{power:.2f})"
    )
    from praevention.evaluation.read import evaluation_inputs

    data, _, _ = evaluation_inputs(con, "15")
    (b0, *_, b1), (a0, *_, a1) = SPREAD_WINDOW
    print(
        f"- design-level spread (sd across Kreise of the change {a0}–{a1} against {b0}–{b1}, relative to the rest "
        f"of the Land): {spread(data, indicator):.3f}; simulated (scenario a): "
        f"{design_spread(SCENARIOS['a_independent']):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=400, help="replications per scenario and true effect")
    parser.add_argument("--eb-reps", type=int, default=200, help="replications of the Empirical Bayes study (0: skip)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated scenario names")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--describe-warehouse", metavar="PATH", help="print a real warehouse's magnitudes instead")
    parser.add_argument("--indicator", default="pks:899000")
    args = parser.parse_args()
    if args.describe_warehouse:
        describe_warehouse(args.describe_warehouse, args.indicator)
        return
    names = args.scenarios.split(",")
    unknown = sorted(set(names) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    kreis_table(args.reps, args.seed, names)
    if args.eb_reps > 0:
        print()
        eb_table(args.eb_reps)


if __name__ == "__main__":
    main()
