"""Real-shaped LKA figures: the real PKS Kreis counts of a Land split among its real Gemeinden.

The LKA's PKS by Tatortgemeinde is not published, so the Gemeinde-level evaluation cannot be tried on it.
What can be tried is the same evaluation on figures shaped like it: every Kreis's published cases of each key,
split among its Gemeinden by their population with each Gemeinde's own level, trend and year noise
(:func:`praevention.demo.generate.split_weights`), violations of residence and asylum law in the Gemeinde of
the reception centre, and a share of cases without a Tatortgemeinde. A planted effect
(:class:`Planted`) thins one Gemeinde's cases after a start year. These figures are synthetic (their Kreis
sums are real); they serve the tests that placebo Gemeinden stay at chance and that a planted effect is
found, never a product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from praevention.demo.generate import UNATTRIBUTED, split_weights
from praevention.readers.pks import ALL_OFFENCES

ASYLUM_LAW = "725000"


@dataclass(frozen=True)
class Planted:
    """A true effect: ``gemeinde``'s cases of ``key`` (and so of all offences) times ``rate_ratio`` in the
    years after ``start_year``."""

    gemeinde: str
    key: str
    start_year: int
    rate_ratio: float


def real_shaped_lka(
    crime: pd.DataFrame,
    gemeinden: pd.DataFrame,
    keys: tuple[str, ...],
    *,
    seed: int,
    reception: str = "",
    planted: Planted | None = None,
) -> pd.DataFrame:
    """Figures in the shape of ``crime_gemeinde_cases`` (year, ags, offence_key, cases) from ``crime`` (the
    Kreis table: year, ags, offence_key, cases) for the Kreise of ``gemeinden`` (ags, population). All
    offences are each Gemeinde's split of the rest beyond ``keys`` plus its cases of ``keys``."""
    rng = np.random.default_rng(seed)
    years = sorted(crime["year"].unique())
    counts = crime.set_index(["ags", "offence_key", "year"])["cases"]
    rows = []
    for kreis, members in gemeinden.groupby(gemeinden["ags"].str[:5]):
        ags = members["ags"].to_numpy()
        weights = split_weights(rng, members["population"].to_numpy(dtype=float), len(years))
        for j, year in enumerate(years):
            shown = 0
            for key in keys:
                cases = int(counts.get((kreis, key, year), 0))
                shown += cases
                share = weights[:, j] * (1 - UNATTRIBUTED)
                if key == ASYLUM_LAW and reception in ags:
                    share = np.where(ags == reception, 1 - UNATTRIBUTED, 0.0)
                split = rng.multinomial(cases, [*share, 1 - share.sum()])[:-1]
                rows += [(year, a, key, int(n)) for a, n in zip(ags, split, strict=True)]
            rest = max(int(counts.get((kreis, ALL_OFFENCES, year), 0)) - shown, 0)
            split = rng.multinomial(rest, [*(weights[:, j] * (1 - UNATTRIBUTED)), UNATTRIBUTED])[:-1]
            rows += [(year, a, "rest", int(n)) for a, n in zip(ags, split, strict=True)]
    out = pd.DataFrame(rows, columns=["year", "ags", "offence_key", "cases"])
    totals = out.groupby(["year", "ags"], as_index=False)["cases"].sum().assign(offence_key=ALL_OFFENCES)
    out = pd.concat([out[out["offence_key"] != "rest"], totals], ignore_index=True)
    if planted is not None:
        hit = (
            (out["ags"] == planted.gemeinde) & (out["offence_key"] == planted.key) & (out["year"] > planted.start_year)
        )
        kept = rng.binomial(out.loc[hit, "cases"].to_numpy(), planted.rate_ratio)
        removed = pd.Series(out.loc[hit, "cases"].to_numpy() - kept, index=out.loc[hit, "year"].to_numpy())
        out.loc[hit, "cases"] = kept
        total = (out["ags"] == planted.gemeinde) & (out["offence_key"] == ALL_OFFENCES)
        out.loc[total, "cases"] -= out.loc[total, "year"].map(removed).fillna(0).astype(int)
    return out.sort_values(["year", "ags", "offence_key"]).reset_index(drop=True)
