"""The simulation study behind docs/methods.md: bias and 95 % coverage of each estimator.

    uv run python benchmarks/simulation_study.py [--reps 200]

Same scenarios and seeds as tests/stats/test_simulation.py; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import time

from pipelines.stats.simulate import study

SEEDS = {
    "empirical_bayes": 20261127,
    "naive_before_after": 20261127,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    args = parser.parse_args()
    print("| estimator | replications | true RR | geometric mean estimate | bias (log RR) | 95 % CI coverage |")
    print("|---|---|---|---|---|---|")
    for scenario, seed in SEEDS.items():
        started = time.perf_counter()
        r = study(scenario, reps=args.reps, seed=seed)
        print(
            f"| {scenario} | {r['reps']} | {r['true_rr']:.2f} | {r['mean_estimate']:.3f} | {r['bias_log']:+.4f} | "
            f"{r['coverage']:.1%} |  <!-- {time.perf_counter() - started:.1f} s -->"
        )


if __name__ == "__main__":
    main()
