"""Measures that aim at the sense of safety: recognised in the register, evaluable with a start, and the check
tells the keeper when no survey of their area is in the raw-data folder."""

from __future__ import annotations

from pathlib import Path

from praevention.register.targets import aims_at_safety, parse_targets
from tests.register.conftest import BODY, GEMEINDEN, MEASURE, register_xlsx, run_check


def test_the_goal_is_recognised_as_people_write_it() -> None:
    for text in (
        "Sicherheitsgefühl",
        "Sicherheitsgefühl stärken",
        "subjektives Sicherheitsgefühl",
        "Sicherheitsempfinden",
    ):
        assert parse_targets(text).safety and not parse_targets(text).issues, text
    both = parse_targets("899000; Sicherheitsgefühl verbessern")
    assert both.safety and both.pks_keys == ["899000"] and not both.empty
    assert not aims_at_safety("Sicherheit") and not aims_at_safety(None)


def test_check_hints_at_a_measure_aiming_at_the_sense_of_safety_without_a_survey(
    tmp_path: Path, capsys, shared_data: Path
) -> None:
    raw = tmp_path / "raw"
    (raw / "boundaries").mkdir(parents=True)
    (raw / "boundaries" / Path(GEMEINDEN).name).symlink_to(shared_data / GEMEINDEN)
    (raw / "surveys").mkdir()
    (raw / "surveys" / "umfrage.csv").write_text(
        "AGS;Welle;Befragten-ID;SG01\n15003000;10/2023;1;2\n", encoding="utf-8"
    )
    measures = [
        {**MEASURE, "measure_id": "M1", "target": "Sicherheitsgefühl", "ags": "15003000"},
        {**MEASURE, "measure_id": "M2", "target": "Sicherheitsgefühl stärken", "ags": "15085235"},
    ]
    path = register_xlsx(tmp_path / "register.xlsx", [BODY], measures)
    code, out = run_check(capsys, path, "--raw-dir", raw)
    assert code == 0, out
    hints = [line for line in out.splitlines() if "keine Befragung vor" in line]
    assert len(hints) == 1 and "15085235" in hints[0], out
    assert "Nicht auswertbar" not in out
