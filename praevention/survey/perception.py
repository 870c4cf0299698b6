"""From the imported surveys to ``safety_perception`` (one share per AGS, wave and item) and
``safety_changes`` (each wave against the one before).

* **Answers of respondents** are weighted per AGS and wave: the survey's own weights (or 1), raked
  (:func:`~praevention.survey.estimate.rake`) to the margins that exist – the import's ``Ränder`` for that
  wave (or for all waves), and for gender, where the import gives none, the Gemeinde's share of men and
  women in the population statistics (GV100AD, the reference date nearest the wave; all ages, whereas the
  survey asks people from 16: a small difference the weighting description names). Age margins come only
  from the import: the population data hold no age structure per Gemeinde. A margin with a category no
  respondent falls into is not used, and the description says so.
* **Published shares** (``Anteile``) are summed over the answers that make up the item's share; a share of an
  item whose answers are incomplete is not computed.
* **Land and federal figures** (a 2-digit AGS in the import, or ``data/survey_reference.yaml``) are kept beside
  the local ones with their source, so that products can show them side by side.
* No share on fewer than :data:`~praevention.survey.estimate.MIN_ANSWERS` answers is published: its share
  and interval stay empty and ``published`` is false.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from praevention.survey.estimate import (
    MIN_ANSWERS,
    ShareEstimate,
    aggregate_share,
    compare,
    rake,
    weighted_share,
)
from praevention.survey.questionnaire import Questionnaire, questionnaire

REFERENCES = Path(__file__).resolve().parents[2] / "data" / "survey_reference.yaml"
PERCEPTION_COLUMNS = {
    "ags": "VARCHAR",
    "level": "VARCHAR",
    "wave_date": "DATE",
    "item": "VARCHAR",
    "item_label": "VARCHAR",
    "share": "DOUBLE",
    "se": "DOUBLE",
    "ci_low": "DOUBLE",
    "ci_high": "DOUBLE",
    "n": "BIGINT",
    "n_effective": "DOUBLE",
    "published": "BOOLEAN",
    "headline": "BOOLEAN",
    "form": "VARCHAR",
    "weighting": "VARCHAR",
    "source": "VARCHAR",
}
CHANGE_COLUMNS = {
    "ags": "VARCHAR",
    "item": "VARCHAR",
    "item_label": "VARCHAR",
    "wave_before": "DATE",
    "wave_after": "DATE",
    "share_before": "DOUBLE",
    "share_after": "DOUBLE",
    "difference": "DOUBLE",
    "ci_low": "DOUBLE",
    "ci_high": "DOUBLE",
    "p_value": "DOUBLE",
    "direction": "VARCHAR",
}
LEVELS = {2: "Land", 5: "Kreis", 8: "Gemeinde"}
FORM_LABELS = {"responses": "Befragtenantworten", "aggregates": "veröffentlichte Anteile", "reference": "Referenzwert"}
VARIABLES = {"ALTER": "age_group", "GESCHLECHT": "gender"}
MARGIN_NAMES = {"ALTER": "Alter", "GESCHLECHT": "Geschlecht"}


def level_of(ags: str) -> str:
    return "Bund" if ags == "DG" else LEVELS.get(len(ags), "Gemeinde")


@dataclass(frozen=True)
class Margins:
    """The raking targets of one AGS and wave, with where each came from (for the weighting description)."""

    targets: dict[str, dict[int, float]]
    origin: dict[str, str]


def population_gender(population: pd.DataFrame, ags: str, wave: dt.date) -> tuple[dict[int, float], str] | None:
    """The share of women (1) and men (2) of ``ags`` (a Gemeinde, or the sum over a Kreis or the Land) on the
    population statistics' reference date nearest to ``wave``; None without figures."""
    if population is None or not len(population):
        return None
    rows = population[population["ags"].astype(str).str.startswith(ags) & population["population_male"].notna()]
    if not len(rows):
        return None
    dates = pd.to_datetime(rows["reference_date"])
    nearest = dates.iloc[(dates - pd.Timestamp(wave)).abs().argsort().iloc[0]]
    at = rows[dates == nearest].drop_duplicates("ags")
    total, men = float(at["population"].sum()), float(at["population_male"].sum())
    if total <= 0:
        return None
    return {1: 1 - men / total, 2: men / total}, f"Bevölkerungsstatistik {nearest:%d.%m.%Y}"


def margins_for(ags: str, wave: dt.date, imported: pd.DataFrame, population: pd.DataFrame) -> Margins:
    """Raking targets: the import's margins for this wave (or for all waves), gender from the population
    statistics where the import has none."""
    targets: dict[str, dict[int, float]] = {}
    origin: dict[str, str] = {}
    if imported is not None and len(imported):
        mine = imported[imported["ags"] == ags]
        for variable, rows in mine.groupby("variable"):
            exact = rows[rows["wave_date"].map(lambda d: d == wave)]
            use = exact if len(exact) else rows[rows["wave_date"].isna()]
            if len(use):
                targets[str(variable)] = {int(c): float(s) for c, s in zip(use["category"], use["share"], strict=True)}
                origin[str(variable)] = "Angaben der Befragung"
    if "GESCHLECHT" not in targets and (found := population_gender(population, ags, wave)) is not None:
        targets["GESCHLECHT"], origin["GESCHLECHT"] = found
    return Margins(targets, origin)


def _respondents(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per respondent: weight, age group, gender and one column per item."""
    person = rows.groupby("respondent_id", sort=True).agg(
        weight=("weight", "first"), age_group=("age_group", "first"), gender=("gender", "first")
    )
    answers = rows.pivot_table(index="respondent_id", columns="item", values="answer", aggfunc="first")
    return person.join(answers)


def weight_wave(
    people: pd.DataFrame, margins: Margins
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, dict[int, float]], str]:
    """Raked weights of one wave, the categories and targets used, and the weighting in words."""
    base = people["weight"].astype(float).fillna(1.0).to_numpy()
    own = people["weight"].notna().any()
    categories: dict[str, np.ndarray] = {}
    targets: dict[str, dict[int, float]] = {}
    notes = []
    for variable, shares in margins.targets.items():
        cats = people[VARIABLES[variable]].astype("Float64").fillna(-1).astype(int).to_numpy()
        empty = [c for c, s in shares.items() if s > 0 and not np.any(cats == c)]
        if empty:
            notes.append(f"{MARGIN_NAMES[variable]} nicht gewichtet (keine Befragten in einer Gruppe)")
            continue
        categories[variable], targets[variable] = cats, shares
    weights = base
    if targets:
        result = rake(base, categories, targets)
        weights = result.weights
        used = ", ".join(f"{MARGIN_NAMES[v]} ({margins.origin[v]})" for v in targets)
        text = f"Raking auf {used}" + ("" if result.converged else " (nicht konvergiert)")
        if own:
            text = "Gewichte der Befragung, " + text
    else:
        text = "Gewichte der Befragung" if own else "ungewichtet"
    return weights, categories, targets, "; ".join([text, *notes])


def _row(
    ags: str, wave: dt.date, item, est: ShareEstimate, form: str, weighting: str, source: str
) -> dict[str, object]:
    published = est.n >= MIN_ANSWERS and np.isfinite(est.share)
    return {
        "ags": ags,
        "level": level_of(ags),
        "wave_date": wave,
        "item": item.code,
        "item_label": item.short,
        "share": est.share if published else None,
        "se": est.se if published else None,
        "ci_low": est.ci_low if published else None,
        "ci_high": est.ci_high if published else None,
        "n": int(est.n),
        "n_effective": float(est.n_effective),
        "published": bool(published),
        "headline": item.headline,
        "form": FORM_LABELS[form],
        "weighting": weighting,
        "source": source,
    }


def from_responses(
    responses: pd.DataFrame, imported_margins: pd.DataFrame, population: pd.DataFrame, q: Questionnaire
) -> list[dict[str, object]]:
    rows = []
    for (ags, wave), group in responses.groupby(["ags", "wave_date"], sort=True):
        people = _respondents(group)
        margins = margins_for(str(ags), wave, imported_margins, population)
        weights, categories, targets, weighting = weight_wave(people, margins)
        source = ", ".join(sorted(group["source_file"].astype(str).unique()))
        for item in q.items:
            if item.code not in people:
                continue
            answered = people[item.code].notna().to_numpy()
            y = people[item.code].isin(item.share_codes).to_numpy()[answered]
            est = weighted_share(
                y,
                weights[answered],
                categories={k: v[answered] for k, v in categories.items()},
                targets=targets,
            )
            rows.append(_row(str(ags), wave, item, est, "responses", weighting, source))
    return rows


def from_aggregates(aggregates: pd.DataFrame, q: Questionnaire) -> list[dict[str, object]]:
    rows = []
    for (ags, wave, code), group in aggregates.groupby(["ags", "wave_date", "item"], sort=True):
        item = q.item(str(code))
        if item is None or not set(item.share_codes) <= set(group["answer"].astype(int)):
            continue  # the share is not published for every answer it is made of
        share = float(group.loc[group["answer"].isin(item.share_codes), "share"].sum())
        n_eff = group["n_effective"].dropna()
        est = aggregate_share(min(share, 1.0), int(group["n"].iloc[0]), float(n_eff.iloc[0]) if len(n_eff) else None)
        weighting = "wie veröffentlicht; Intervall ohne Designeffekt" if not len(n_eff) else "wie veröffentlicht"
        source = ", ".join(sorted(group["source_file"].astype(str).unique()))
        rows.append(_row(str(ags), wave, item, est, "aggregates", weighting, source))
    return rows


def reference_rows(q: Questionnaire, path: Path = REFERENCES) -> list[dict[str, object]]:
    """Published Land and federal figures from ``data/survey_reference.yaml`` (each with its citation)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    rows = []
    for fig in doc.get("figures") or []:
        item = q.item(str(fig["item"]))
        if item is None:
            raise ValueError(f"{path}: unknown item {fig['item']}")
        est = aggregate_share(float(fig["share"]), int(fig["n"]), fig.get("n_effective"))
        wave = dt.date.fromisoformat(str(fig["wave_date"]))
        rows.append(_row(str(fig["ags"]), wave, item, est, "reference", "wie veröffentlicht", str(fig["source"])))
    return rows


def safety_perception(
    responses: pd.DataFrame,
    aggregates: pd.DataFrame,
    margins: pd.DataFrame,
    population: pd.DataFrame,
    *,
    q: Questionnaire | None = None,
    references: Path = REFERENCES,
) -> pd.DataFrame:
    """One row per AGS, wave and item (see :data:`PERCEPTION_COLUMNS` and the table contract)."""
    q = q or questionnaire()
    rows = [
        *from_responses(responses, margins, population, q),
        *from_aggregates(aggregates, q),
        *reference_rows(q, references),
    ]
    frame = pd.DataFrame(rows, columns=list(PERCEPTION_COLUMNS))
    frame = frame.drop_duplicates(["ags", "wave_date", "item"])  # a reference figure the import also holds
    frame = frame.astype({"published": bool, "headline": bool})
    return frame.sort_values(["ags", "wave_date", "item"]).reset_index(drop=True)


def estimate_of(row: pd.Series) -> ShareEstimate:
    """The estimate of one published row of ``safety_perception``."""
    return ShareEstimate(
        float(row["share"]),
        float(row["se"]),
        float(row["ci_low"]),
        float(row["ci_high"]),
        int(row["n"]),
        float(row["n_effective"]),
    )


def safety_changes(perception: pd.DataFrame, q: Questionnaire | None = None) -> pd.DataFrame:
    """Each published wave against the published wave before it, per AGS and item: the difference with the
    95 % interval of the difference, and whether it is better, worse or neither for certain."""
    q = q or questionnaire()
    rows = []
    shown = perception[perception["published"].astype(bool)].sort_values("wave_date")
    for (ags, code), group in shown.groupby(["ags", "item"], sort=True):
        item = q.item(str(code))
        records = [r for _, r in group.iterrows()]
        for before, after in itertools.pairwise(records):
            c = compare(estimate_of(before), estimate_of(after))
            if c.diff_high < 0 or c.diff_low > 0:
                better = (c.difference < 0) == item.lower_is_better
                direction = "besser" if better else "schlechter"
            else:
                direction = "keine gesicherte Änderung"
            rows.append(
                {
                    "ags": ags,
                    "item": code,
                    "item_label": item.short,
                    "wave_before": before["wave_date"],
                    "wave_after": after["wave_date"],
                    "share_before": c.before.share,
                    "share_after": c.after.share,
                    "difference": c.difference,
                    "ci_low": c.diff_low,
                    "ci_high": c.diff_high,
                    "p_value": c.p_value,
                    "direction": direction,
                }
            )
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
