"""One base for every change: the latest year against five years before, on counts across the census break."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from praevention.evaluation.change import BREAK_NOTE, base_year, comparable_change, series_change


def _row(year: int, count: float, rate: float, basis: str) -> dict:
    return {"year": year, "count": count, "rate_per_100k": rate, "population_basis": basis}


def test_halle_across_the_census_break_is_measured_on_cases() -> None:
    """Halle (Saale), PKS all offences: 2023 30.748 cases (HZ 12.701, Zensus 2011), 2024 28.417 cases (HZ 12.483,
    Zensus 2022). The rates give −1,7 %, the cases −7,6 %: only the cases are comparable."""
    change = comparable_change(_row(2023, 30748, 12701.4, "Zensus 2011"), _row(2024, 28417, 12483.4, "Zensus 2022"))
    assert change.basis == "count" and change.note == BREAK_NOTE
    assert change.ratio == pytest.approx(28417 / 30748)
    assert round((change.ratio - 1) * 100, 1) == -7.6


def test_within_one_census_basis_the_rates_are_compared() -> None:
    change = comparable_change(_row(2014, 30802, 13333.0, "Zensus 2011"), _row(2019, 24584, 10299.2, "Zensus 2011"))
    assert change.basis == "rate" and not change.note
    assert change.ratio == pytest.approx(10299.2 / 13333.0)


def test_the_base_is_five_years_before_the_latest_or_the_first_year() -> None:
    assert base_year(2024, range(2014, 2025)) == 2019
    assert base_year(2024, [2021, 2022, 2023, 2024]) == 2021
    assert base_year(2023, [2015, 2023]) is None  # 2015 lies further back than the base allows
    assert base_year(2015, [2015]) is None


def test_series_change_of_magdeburg_is_the_same_everywhere() -> None:
    """Magdeburg, PKS all offences 2014–2024 (cases): the one base is 2019 → 2024, on cases because 2024's rate
    rests on the Zensus 2022: +14 %, where the products used to show +13 %, −13 % and −14 %."""
    cases = [30802, 28440, 28354, 27143, 26877, 24584, 25093, 23286, 27332, 32332, 28108]
    years = np.arange(2014, 2025)
    rows = pd.DataFrame(
        {
            "year": years,
            "month": np.nan,
            "count": cases,
            "rate_per_100k": np.asarray(cases) / 240_000 * 1e5,
            "population_basis": np.where(years >= 2024, "Zensus 2022", "Zensus 2011"),
        }
    )
    change = series_change(rows)
    assert (change.year_before, change.year_after, change.basis) == (2019, 2024, "count")
    assert round((change.ratio - 1) * 100) == 14
    assert series_change(rows, latest=2023).basis == "rate"  # 2018 → 2023: one basis
