"""Safety surveys of Demoland: two waves for two Gemeinden, one with a real improvement after a measure, one
without, and a Land figure to compare with.

* The first Gemeinde surveyed its residents before and after its measure and delivers the answers of every
  respondent in the import workbook (sheets Antworten and Ränder). Women and older people answer more often
  than the population's structure suggests, and they feel less safe: unweighted shares are too high, and
  raking to the delivered age margins and the Gemeinde's gender structure (population statistics) recovers
  the truth. After the measure the chance of feeling unsafe falls in every group (the true share falls by
  about a quarter).
* The second Gemeinde publishes only shares per answer with n (a town's survey report) and nothing changes.
* A Land survey gives the Land's share for comparison (published shares with the Land key).

The true shares are those of the population (cells of age × gender weighted by the margins, whose product is
the population's joint structure): :func:`true_share`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

#: population margins (age group, gender) of every demo Gemeinde and of the Land; gender follows the GV100AD
#: files of the demo (half of the inhabitants are men)
AGE_SHARES = {1: 0.18, 2: 0.24, 3: 0.26, 4: 0.20, 5: 0.12}
GENDER_SHARES = {1: 0.5, 2: 0.5}
#: how much more likely each group is to answer (women and older people more often)
RESPONSE_AGE = {1: 0.5, 2: 0.8, 3: 1.0, 4: 1.5, 5: 1.6}
RESPONSE_GENDER = {1: 1.4, 2: 1.0}
#: log-odds of feeling unsafe at night (SG01 answers 3 or 4) by age group and gender
BASE_LOGIT = -0.85
AGE_LOGIT = {1: -0.4, 2: -0.3, 3: 0.0, 4: 0.35, 5: 0.7}
GENDER_LOGIT = {1: 0.45, 2: -0.45}


@dataclass(frozen=True)
class DemoSurvey:
    """Two waves of one Gemeinde: dates, the shift of the log-odds after the measure, answers per wave."""

    ags: str
    waves: tuple[dt.date, dt.date]
    shift: float
    respondents: int
    form: str  # "responses" or "aggregates"


def cell_probability(age: int, gender: int, shift: float = 0.0) -> float:
    z = BASE_LOGIT + AGE_LOGIT[age] + GENDER_LOGIT[gender] + shift
    return float(1 / (1 + np.exp(-z)))


def true_share(shift: float = 0.0) -> float:
    """The share of the population feeling unsafe (the population's cells are the product of its margins)."""
    return sum(
        a * g * cell_probability(age, gender, shift)
        for age, a in AGE_SHARES.items()
        for gender, g in GENDER_SHARES.items()
    )


def true_ratio(shift: float) -> float:
    return true_share(shift) / true_share(0.0)


#: the improvement after the first Gemeinde's measure, on the log-odds scale
IMPROVEMENT = -0.55


def _answers(rng: np.random.Generator, p_unsafe: float, n: int) -> np.ndarray:
    """SG01 codes 1–4: unsafe (3, 4) with probability ``p_unsafe``, split 70:30; safe (1, 2) split 35:65."""
    unsafe = rng.random(n) < p_unsafe
    return np.where(unsafe, np.where(rng.random(n) < 0.7, 3, 4), np.where(rng.random(n) < 0.35, 1, 2))


def respondents(rng: np.random.Generator, n: int, shift: float) -> pd.DataFrame:
    """``n`` respondents drawn with the groups' response propensities, their SG01 answers and a few other items."""
    cells = [(a, g) for a in AGE_SHARES for g in GENDER_SHARES]
    weights = np.array([AGE_SHARES[a] * GENDER_SHARES[g] * RESPONSE_AGE[a] * RESPONSE_GENDER[g] for a, g in cells])
    pick = rng.choice(len(cells), size=n, p=weights / weights.sum())
    ages = np.array([cells[i][0] for i in pick])
    genders = np.array([cells[i][1] for i in pick])
    p = np.array([cell_probability(a, g, shift) for a, g in zip(ages, genders, strict=True)])
    sg01 = np.concatenate([_answers(rng, pi, 1) for pi in p])
    return pd.DataFrame(
        {
            "SG01": sg01,
            "SG02A": rng.choice([1, 2, 3, 4], size=n, p=[0.3, 0.4, 0.2, 0.1]),
            "SG03A": np.where(rng.random(n) < p * 0.8, 1, 2),
            "SG05A": rng.choice([1, 2, 3, 4], size=n, p=[0.25, 0.45, 0.2, 0.1]),
            "SG06B": np.where(rng.random(n) < 0.06, 1, 2),
            "ALTER": ages,
            "GESCHLECHT": genders,
            "ORTSTEIL": rng.integers(1, 6, size=n),
        }
    )


def write_responses(rng: np.random.Generator, survey: DemoSurvey, path: Path) -> Path:
    """The import workbook as the Gemeinde fills it: answers of both waves and the age margins."""
    from praevention.files import write_document
    from praevention.render.questionnaire import import_workbook
    from praevention.survey.questionnaire import questionnaire

    wb = import_workbook(questionnaire())
    ws = wb["Antworten"]
    header = [c.value for c in ws[1]]
    number = 0
    for wave, shift in zip(survey.waves, (0.0, survey.shift), strict=True):
        people = respondents(rng, survey.respondents, shift)
        for person in people.to_dict("records"):
            number += 1
            values = {"AGS": survey.ags, "Welle": f"{wave:%m/%Y}", "Befragten-ID": f"{number:05d}", **person}
            _fill(ws, number + 1, [values.get(h) for h in header])
    for row, (code, share) in enumerate(AGE_SHARES.items(), start=2):
        _fill(wb["Ränder"], row, [survey.ags, "", "ALTER", code, round(share * 100, 1)])
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_document(path, wb)


def _fill(ws, row: int, values: list[object]) -> None:
    """One row of a template sheet (its prepared rows are formatted, so appending would start below them)."""
    for col, value in enumerate(values, start=1):
        ws.cell(row, col, value.item() if hasattr(value, "item") else value)


def write_aggregates(rng: np.random.Generator, rows: list[tuple[str, dt.date, int]], path: Path) -> Path:
    """Published shares of SG01 per answer with n (a report's table), drawn from the population's answers;
    ``rows``: (AGS, wave, n)."""
    lines = ["AGS;Welle;Frage;Antwort;Anteil (%);n"]
    for ags, wave, n in rows:
        answers = _answers(rng, true_share(), n)
        for code in (1, 2, 3, 4):
            share = f"{np.mean(answers == code) * 100:.1f}".replace(".", ",")
            lines.append(f"{ags};{wave:%m/%Y};SG01;{code};{share};{n}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_surveys(rng: np.random.Generator, surveys: list[DemoSurvey], land: str, folder: Path) -> list[Path]:
    """Every survey file of Demoland into ``folder``: the respondents' workbooks, the published shares, the
    Land's figure."""
    paths = []
    for s in surveys:
        if s.form == "responses":
            paths.append(write_responses(rng, s, folder / f"befragung_{s.ags}.xlsx"))
        else:
            paths.append(
                write_aggregates(rng, [(s.ags, w, s.respondents) for w in s.waves], folder / f"bericht_{s.ags}.csv")
            )
    paths.append(write_aggregates(rng, [(land, dt.date(2022, 5, 1), 1800)], folder / "landesbefragung.csv"))
    return paths
