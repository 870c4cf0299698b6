"""The disclosure rule of every product, written once: which counts people may read.

**Rule.** A count of 1 or 2 for a Gemeinde is never shown, whatever its source (police, accident statistics,
road deaths, our own counts of Unfallatlas points): it is published as ``<3`` and its rate, interval and
change are left out, since with the population they would give the count away. A kreisfreie Stadt is a
Gemeinde too, so its Kreis row is treated alike. Kreis and Land counts are shown exactly.

**Secondary suppression.** A hidden cell must not follow from totals: a Kreis total minus its other
Gemeinden (and the Land total minus its other Kreise) would give it back. For every group of cells that add
up to a shown total – the Gemeinden of a Kreis, the Kreise of the Land, for one indicator and one year (or
month) – further cells are hidden (``ausgeblendet``), smallest first, until the hidden cells' sum no longer tells
any reader whether a hidden small count is 1 or 2 (:func:`ambiguous`: the reader knows the sum, that
each ``<3`` is 1 or 2, and that each ``ausgeblendet`` is 0 or at least 3). This is the complementary suppression of
the statistical offices (Hundepool et al. 2012, *Statistical Disclosure Control*, ch. 4.4: primary and
secondary cell suppression), here in its simplest greedy form.

Every product (fact sheets, report, workbook, CSV, GeoPackage, decks, maps and their hover text) reads the
flags of :func:`mark_panel` from :attr:`ReportData.panel` (column ``disclosure``) and formats counts with
:func:`count_text`; nothing else decides what is shown. ``docs/methods.md`` (Disclosure) states the rule
for readers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from praevention.evaluation.change import Change, series_change
from praevention.render import fmt

#: a count below this (and above 0) is hidden for a Gemeinde
SMALL_COUNT_LIMIT = fmt.SMALL_COUNT_LIMIT
#: flags of the ``disclosure`` column
SHOWN, SMALL, SECONDARY = "", "klein", "gegenrechnung"
#: what a hidden cell shows
TEXT = {SMALL: f"<{SMALL_COUNT_LIMIT}", SECONDARY: "ausgeblendet"}
#: the legend of the hidden cells, for every product that shows one
NOTE = {
    SMALL: f"<{SMALL_COUNT_LIMIT}: ein oder zwei Fälle in einer Gemeinde; so kleine Zahlen werden nie genau "
    "ausgewiesen, damit Betroffene nicht erkennbar werden; Rate, Intervall und Veränderung entfallen.",
    SECONDARY: "ausgeblendet: nicht ausgewiesen, damit sich eine kleine Zahl nicht aus der Summe des Kreises oder "
    "des Landes errechnen lässt.",
}
#: the rule in one sentence (licence file, data dictionary, report)
RULE = (
    "Anzahlen von 1 bis 2 je Gemeinde (auch kreisfreie Stadt) werden nie genau ausgewiesen ('<3'), ihre Raten nicht; "
    "weitere Zellen werden ausgeblendet ('ausgeblendet'), wo sich eine kleine Zahl sonst aus der Kreis- oder "
    "Landessumme errechnen ließe."
)


def ambiguous(n_small: int, n_secondary: int, total: float) -> bool:
    """Whether a reader who knows the sum ``total`` of the hidden cells – ``n_small`` cells of 1 or 2 and
    ``n_secondary`` cells of 0 or at least 3 – cannot tell any small cell's value (both 1 and 2 possible)."""
    if n_small == 0:
        return True
    total = round(total)

    def others_can_make(rest: int) -> bool:
        for q in range(n_small - 1, 2 * (n_small - 1) + 1):  # the other small cells add up to q
            r = rest - q
            if r == 0 or (n_secondary and r >= SMALL_COUNT_LIMIT):
                return True
        return False

    return all(others_can_make(total - v) for v in (1, 2))


def _complete(counts: pd.Series, flags: pd.Series, priority: pd.Series) -> pd.Series:
    """Secondary flags within one group of cells adding up to a shown total (``counts`` and ``flags`` by
    cell, ``priority`` which cells may be hidden: lower first, NaN never): the smallest single cell of 3 or
    more that makes the group :func:`ambiguous`, else the smallest ones until it is (zeros cannot help: the
    reader knows a hidden cell is 0 or at least 3)."""
    out = flags.copy()
    able = priority.notna() & (out == SHOWN) & (counts >= SMALL_COUNT_LIMIT)
    order = pd.DataFrame({"p": priority[able], "c": counts[able]}).sort_values(["p", "c"], kind="stable").index

    def safe(cells: pd.Series) -> bool:
        return ambiguous(
            int((cells == SMALL).sum()), int((cells == SECONDARY).sum()), float(counts[cells != SHOWN].sum())
        )

    if safe(out):
        return out
    for idx in order:  # one cell is enough where the smallest suitable one will do
        if safe(out.where(out.index != idx, SECONDARY)):
            out[idx] = SECONDARY
            return out
    for idx in order:  # else the smallest ones, until the sum leaves every small count open
        out[idx] = SECONDARY
        if safe(out):
            break
    return out


def single_gemeinde_kreise(gemeinden: pd.DataFrame, kreise: pd.DataFrame) -> set[str]:
    """The Kreise that are one Gemeinde (kreisfreie Städte): their Kreis row is that Gemeinde's figure."""
    per_kreis = gemeinden["kreis_ags"].astype(str).value_counts()
    types = kreise["kreis_type"] if "kreis_type" in kreise else pd.Series("", index=kreise.index)
    kreisfrei = {str(a) for a, t in zip(kreise["ags"], types, strict=True) if "kreisfrei" in str(t).lower()}
    return kreisfrei | {str(k) for k, n in per_kreis.items() if n == 1}


def _groups(panel: pd.DataFrame, members: pd.Series, parent: pd.Series) -> dict:
    month = panel["month"].astype("Float64").fillna(0) if "month" in panel else pd.Series(0, index=panel.index)
    keys = pd.DataFrame({"indicator": panel["indicator"], "year": panel["year"], "month": month, "parent": parent})
    return keys[members].groupby(["indicator", "year", "month", "parent"], sort=False).groups


def mark_panel(panel: pd.DataFrame, single_kreise: Iterable[str]) -> pd.Series:
    """The ``disclosure`` flag of every panel row: ``""`` shown, ``klein`` (1–2 in a Gemeinde or a kreisfreie
    Stadt), ``gegenrechnung`` (hidden so that no small count follows from a total)."""
    single = set(single_kreise)
    ags = panel["unit_ags"].astype(str)
    level = panel["unit_level"].astype(str)
    counts = pd.to_numeric(panel["count"], errors="coerce")
    protected = (level == "Gemeinde") | ((level == "Kreis") & ags.isin(single))
    flags = pd.Series(SHOWN, index=panel.index, dtype=object)
    flags[protected & counts.map(fmt.is_suppressed)] = SMALL
    if not (flags == SMALL).any():
        return flags
    # the Gemeinden of each Landkreis against its total, then the Kreise of the Land against the Land's; in the
    # Land's group kreisfreie Städte are hidden first, a Landkreis only where it has no Gemeinde rows of that
    # indicator and year (they would give its total back)
    keys = pd.DataFrame({"indicator": panel["indicator"], "year": panel["year"], "kreis": ags.str[:5]})
    with_gemeinden = set(map(tuple, keys[level == "Gemeinde"].drop_duplicates().to_numpy().tolist()))
    kreis_has_gemeinden = pd.Series(
        [tuple(k) in with_gemeinden for k in keys.to_numpy().tolist()], index=panel.index, dtype=bool
    )
    land_priority = pd.Series(
        np.where(ags.isin(single), 0.0, np.where(kreis_has_gemeinden, np.nan, 1.0)), index=panel.index
    )
    passes = (
        ((level == "Gemeinde") & ~ags.str[:5].isin(single), "Kreis", ags.str[:5], pd.Series(0.0, index=panel.index)),
        (level == "Kreis", "Land", ags.str[:2], land_priority),
    )
    for members, total_level, parent, candidates in passes:
        totals = _groups(panel, level == total_level, ags)
        shown_totals = {k for k, idx in totals.items() if (flags[idx] == SHOWN).all()}
        for key, idx in _groups(panel, members, parent).items():
            if (flags[idx] == SMALL).any() and key in shown_totals:
                flags[idx] = _complete(counts[idx], flags[idx], candidates[idx])
    # a kreisfreie Stadt's Gemeinde row carries its Kreis row's figure: the same flag
    single_rows = (level == "Kreis") & ags.isin(single)
    same = _groups(panel, single_rows, ags)
    for (indicator, year, month, kreis), idx in _groups(
        panel, (level == "Gemeinde") & ags.str[:5].isin(single), ags.str[:5]
    ).items():
        kreis_idx = same.get((indicator, year, month, kreis))
        if kreis_idx is not None and (flags[kreis_idx] == SECONDARY).any():
            flags[idx] = flags[idx].where(flags[idx] != SHOWN, SECONDARY)
    return flags


def leaks(panel: pd.DataFrame, flags: pd.Series, single_kreise: Iterable[str]) -> list[str]:
    """Groups in which a reader could still tell a hidden small count from the totals (for the tests): every
    group of Gemeinden of a Landkreis and of Kreise of the Land with a shown total and a small hidden cell."""
    single = set(single_kreise)
    ags = panel["unit_ags"].astype(str)
    level = panel["unit_level"].astype(str)
    counts = pd.to_numeric(panel["count"], errors="coerce").fillna(0)
    out = []
    for members, total_level, parent in (
        ((level == "Gemeinde") & ~ags.str[:5].isin(single), "Kreis", ags.str[:5]),
        (level == "Kreis", "Land", ags.str[:2]),
    ):
        totals = _groups(panel, level == total_level, ags)
        for key, idx in _groups(panel, members, parent).items():
            total = totals.get(key)
            if total is None or not (flags[total] == SHOWN).all() or not (flags[idx] == SMALL).any():
                continue
            hidden_cells = flags[idx] != SHOWN
            if not ambiguous(
                int((flags[idx] == SMALL).sum()),
                int((flags[idx] == SECONDARY).sum()),
                float(counts[idx][hidden_cells].sum()),
            ):
                out.append("/".join(map(str, key)))
    return out


def count_text(count: object, flag: object = None, *, missing: str = "–") -> str:
    """A count as people read it: ``<3`` or ``ausgeblendet`` when hidden (``flag`` from :func:`mark_panel`), else German
    notation. Without a flag (a count with no row of its own, e.g. a sum of years), the primary rule applies."""
    if isinstance(flag, str) and flag in TEXT:
        return TEXT[flag]
    return fmt.publish_count(count, missing=missing)


def hidden(flag: object) -> bool:
    return isinstance(flag, str) and flag in TEXT


YEARS = re.compile(r"(\d{4})(?:\s*[–-]\s*(\d{4}))?")


def period_years(period: object) -> list[int]:
    """``"2014–2019"`` → 2014 … 2019; ``"2015"`` → [2015]; anything else → []."""
    m = YEARS.fullmatch(str(period).strip()) if isinstance(period, str) else None
    if not m:
        return []
    lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
    return list(range(lo, hi + 1))


def effect_count_flags(effects: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """Flags for the case counts before and after each measure (``n_before``/``n_after``), sums we form over
    the periods: ``klein`` for 1–2 in a Gemeinde, ``gegenrechnung`` where a year of the period is hidden in
    the panel (the sum minus the shown years would give it back)."""
    flagged = panel[panel["disclosure"] != SHOWN]
    hidden_years = {
        (str(u), str(i)): set(g["year"].astype(int))
        for (u, i), g in flagged[flagged["month"].isna()].groupby(["unit_ags", "indicator"])
    }
    out = pd.DataFrame(SHOWN, index=effects.index, columns=["n_before", "n_after"], dtype=object)
    for idx, r in effects.iterrows():
        unit = str(r["unit_ags"])
        gemeinde = len(unit) == 8
        years = hidden_years.get((unit, str(r["indicator"])), set())
        for col, period in (("n_before", "period_before"), ("n_after", "period_after")):
            if gemeinde and fmt.is_suppressed(r[col]):
                out.at[idx, col] = SMALL
            elif years & set(period_years(r.get(period))):
                out.at[idx, col] = SECONDARY
    return out


def change_text(change: Change | None, *, hidden_rows: bool = False) -> str:
    """A :class:`~praevention.evaluation.change.Change` as people read it, with its years: ``−13 % (2019 → 2024)``,
    ``+14 % (2019 → 2024, Fälle)`` across the census break, ``2 → 7 Fälle (2019 → 2024)`` below
    :data:`fmt.MIN_PERCENT_CASES` cases; ``nicht ausgewiesen`` when a year's count is hidden."""
    if change is None:
        return "–"
    if hidden_rows:
        return "nicht ausgewiesen"
    text = fmt.change_text(change.count_before, change.count_after, change.ratio)
    if "→" in text:
        return f"{text} Fälle ({change.period})"
    return f"{text} ({change.period}{', Fälle' if change.basis == 'count' else ''})"


def series_change_text(rows: pd.DataFrame, latest: int | None = None) -> tuple[str, Change | None]:
    """The change of one unit's yearly series (panel rows with ``disclosure``) on the products' one base
    (:func:`praevention.evaluation.change.series_change`), as text, and the change itself."""
    change = series_change(rows, latest)
    if change is None:
        return "–", None
    years = rows[rows["month"].isna()] if "month" in rows else rows
    used = years[years["year"].isin([change.year_before, change.year_after])]
    return change_text(change, hidden_rows=bool(used["disclosure"].map(hidden).any())), change
