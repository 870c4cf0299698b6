"""From imported surveys to safety_perception and safety_changes, and measures evaluated on survey waves."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from praevention.evaluation.survey import indicator, survey_effects, with_survey_effects
from praevention.render.safety import add_survey_verdicts, section
from praevention.survey.estimate import MIN_ANSWERS
from praevention.survey.perception import population_gender, safety_changes, safety_perception
from praevention.survey.read import AGGREGATES, MARGINS, RESPONSES, typed_frame

W1, W2 = dt.date(2020, 10, 1), dt.date(2022, 10, 1)


def responses(ags: str, wave: dt.date, unsafe: int, safe: int) -> list[dict]:
    """Respondents of one wave: the ones feeling unsafe are women, the others half women, half men."""
    rows = []
    for i in range(unsafe + safe):
        answer = 3 if i < unsafe else 2
        gender = 1 if i < unsafe or i % 2 else 2
        for item, value in (("SG01", answer), ("SG05A", 2)):
            rows.append(
                {
                    "ags": ags,
                    "wave_date": wave,
                    "respondent_id": str(i),
                    "item": item,
                    "answer": value,
                    "weight": None,
                    "age_group": None,
                    "gender": gender,
                    "ortsteil": None,
                    "source_file": "x",
                    "source_line": i + 2,
                }
            )
    return rows


def shares(ags: str, wave: dt.date, unsafe: float, n: int) -> list[dict]:
    split = {1: (1 - unsafe) / 2, 2: (1 - unsafe) / 2, 3: unsafe / 2, 4: unsafe / 2}
    return [
        {
            "ags": ags,
            "wave_date": wave,
            "item": "SG01",
            "answer": c,
            "share": s,
            "n": n,
            "n_effective": None,
            "source_file": "y",
            "source_line": c + 1,
        }
        for c, s in split.items()
    ]


POPULATION = pd.DataFrame(
    {
        "ags": ["15001000", "15001000", "15002000", "15002000"],
        "reference_date": pd.to_datetime(["2021-12-31", "2022-12-31", "2020-12-31", "2022-12-31"]),
        "population": [1000, 1000, 2000, 2000],
        "population_male": [500, 500, 900, 1100],
    }
)


def perception(tmp_path: Path) -> pd.DataFrame:
    resp = typed_frame(
        RESPONSES,
        responses("15001000", W1, 60, 90)
        + responses("15001000", W2, 40, 110)
        + responses("15003000", W1, 10, 15)
        + responses("15003000", W2, 8, 12),
    )
    agg = typed_frame(AGGREGATES, shares("15002000", W1, 0.30, 400) + shares("15002000", W2, 0.31, 400))
    return safety_perception(resp, agg, typed_frame(MARGINS), POPULATION, references=tmp_path / "none.yaml")


def test_gender_comes_from_the_population_on_the_nearest_reference_date() -> None:
    assert population_gender(POPULATION, "15002000", dt.date(2022, 10, 1))[0] == pytest.approx({1: 0.45, 2: 0.55})
    assert population_gender(POPULATION, "15002000", dt.date(2021, 1, 1))[0] == pytest.approx({1: 0.55, 2: 0.45})
    assert population_gender(POPULATION, "15", dt.date(2022, 12, 1))[0][2] == pytest.approx(1600 / 3000)


def test_shares_are_weighted_published_only_from_30_answers_and_compared(tmp_path: Path) -> None:
    p = perception(tmp_path)
    one = p[(p["ags"] == "15001000") & (p["item"] == "SG01")].set_index("wave_date")
    # women answer more often and feel less safe: raking to 50:50 lowers the share
    assert (
        one.loc[W1, "share"] < 60 / 150 and "Geschlecht (Bevölkerungsstatistik 31.12.2021)" in one.loc[W1, "weighting"]
    )
    assert one.loc[W1, "n"] == 150 and one.loc[W1, "n_effective"] < 150
    small = p[p["ags"] == "15003000"]
    assert (small["n"] < MIN_ANSWERS).all() and not small["published"].any() and small["share"].isna().all()
    published = p[(p["ags"] == "15002000") & (p["item"] == "SG01")]
    assert published["share"].tolist() == pytest.approx([0.30, 0.31]) and published["published"].all()
    changes = safety_changes(p)
    row = changes[(changes["ags"] == "15001000") & (changes["item"] == "SG01")].iloc[0]
    assert row["difference"] < 0 and row["ci_low"] < row["difference"] < row["ci_high"]
    assert row["direction"] in ("besser", "keine gesicherte Änderung")
    assert changes[changes["ags"] == "15002000"]["direction"].tolist() == ["keine gesicherte Änderung"]


def measures(*rows: tuple[str, str, str, str | None]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "measure_id": mid,
                "body_id": "G1",
                "title": f"Maßnahme {mid}",
                "target": target,
                "ags": ags,
                "start": pd.Timestamp(start) if start else pd.NaT,
                "end": pd.NaT,
                "not_evaluable_reason": None,
            }
            for mid, target, ags, start in rows
        ]
    )


def test_measures_aiming_at_the_sense_of_safety_get_the_four_plain_findings(tmp_path: Path) -> None:
    p = perception(tmp_path)
    m = measures(
        ("M1", "Sicherheitsgefühl", "15001000", "2021-06-01"),
        ("M2", "Sicherheitsgefühl stärken", "15002000", "2021-06-01"),
        ("M3", "Sicherheitsgefühl", "15003000", "2021-06-01"),
        ("M4", "Sicherheitsgefühl; 899000", "15009000", "2021-06-01"),
        ("M5", "Sicherheitsgefühl", "15001000", None),
        ("M6", "899000", "15001000", "2021-06-01"),
        ("M7", "Sicherheitsgefühl", "15001000", "2023-01-01"),
    )
    rows = survey_effects(m, p).set_index("measure_id")
    assert "M6" not in rows.index and (rows["indicator"] == indicator()).all() and rows["headline"].all()
    assert rows.loc["M1", "evaluable"] and rows.loc["M1", "estimate"] < 1
    assert rows.loc["M1", "ci_low"] < rows.loc["M1", "estimate"] < rows.loc["M1", "ci_high"]
    reasons = {k: json.loads(v)["reason_de"] for k, v in rows["diagnostics"].items() if not rows.loc[k, "evaluable"]}
    assert "weniger als 30 Antworten" in reasons["M3"]
    assert "keine Befragung vor" in reasons["M4"]
    assert "Startdatum" in reasons["M5"]
    assert "keine Befragungswelle nach dem Beginn (01.01.2023)" in reasons["M7"]
    crime = pd.DataFrame(
        [
            {
                "measure_id": "M6",
                "body_id": "G1",
                "unit_ags": "15001",
                "unit_level": "Kreis",
                "indicator": "pks:899000",
                "indicator_label": "Straßenkriminalität",
                "method": "did_placebo",
                "estimate": 0.9,
                "ci_low": 0.7,
                "ci_high": 1.1,
                "p_value": 0.3,
                "p_adjusted": None,
                "p_holm": None,
                "mde_80": 0.8,
                "n_before": 100,
                "n_after": 90,
                "period_before": "2016–2019",
                "period_after": "2022–2024",
                "comparison": "",
                "diagnostics": "{}",
                "evaluable": True,
                "headline": True,
                "finding": None,
            }
        ]
    )
    both = with_survey_effects(crime, survey_effects(m, p))
    tested = both[both["evaluable"] & both["headline"]]
    assert tested["p_adjusted"].notna().all() and tested["finding"].notna().all()
    both["verdict_de"], both["context_de"] = "", ""
    worded = add_survey_verdicts(both, m, {"15001000": "Altstadt", "15002000": "Neudorf"}).set_index("measure_id")
    assert worded.loc["M6", "verdict_de"] == ""
    assert "in Altstadt" in worded.loc["M1", "verdict_de"] and "Prozentpunkte" in worded.loc["M1", "verdict_de"]
    if worded.loc["M1", "finding"] == "effect":
        assert "Ohne Vergleichsgemeinde" in worded.loc["M1", "verdict_de"]
    m2 = worded.loc["M2"]
    assert m2["finding"] in ("no_large_effect", "undetectable", "chance")
    assert ("ausschließen" in m2["verdict_de"]) or ("Antworten" in m2["verdict_de"] and "bräuchte" in m2["verdict_de"])
    assert worded.loc["M3", "verdict_de"].startswith("Nicht auswertbar: weniger als 30 Antworten")


def test_the_fact_sheet_section_shows_the_waves_and_a_plain_sentence(tmp_path: Path) -> None:
    p = perception(tmp_path)
    land = p[p["ags"] == "15002000"].assign(ags="15", level="Land")
    both = pd.concat([p, land], ignore_index=True)
    s = section(both, safety_changes(both), "15001000", name="Altstadt", land="15", land_name="Sachsen-Anhalt")
    assert s is not None and s["svg"].startswith("<svg") and "aria-label" in s["svg"]
    text = " ".join(s["sentences"])
    assert "Bei der Befragung 10/2022" in text and "Gegenüber 10/2020" in text and "Sachsen-Anhalt (10/2022)" in text
    assert s["rows"] and s["rows"][0][0] == "Vertrauen in die Polizei"
    assert section(both, safety_changes(both), "15099000", name="x", land="15", land_name="y") is None
    small = section(both, safety_changes(both), "15003000", name="Klein", land="15", land_name="y")
    assert small["svg"] == "" and "nicht ausgewiesen" in small["sentences"][0]
    assert np.isfinite(p["share"].dropna()).all()


def test_without_surveys_the_tables_are_empty_and_nothing_is_evaluated(tmp_path: Path) -> None:
    empty = safety_perception(
        typed_frame(RESPONSES), typed_frame(AGGREGATES), typed_frame(MARGINS), POPULATION, references=tmp_path / "x"
    )
    assert empty.empty and list(empty.columns)[:3] == ["ags", "level", "wave_date"]
    assert safety_changes(empty).empty
    rows = survey_effects(measures(("M1", "Sicherheitsgefühl", "15001000", "2021-06-01")), empty)
    assert not rows["evaluable"].any() and "keine Befragung vor" in rows["diagnostics"].iloc[0]
    assert section(empty, safety_changes(empty), "15001000", name="x", land="15", land_name="y") is None
