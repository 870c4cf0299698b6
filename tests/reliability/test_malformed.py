"""Every malformed input of the corpus gives a clear error or a load with its bad rows quarantined,
never a crash, a partly filled table or a silent drop (rows read = loaded + quarantined per file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.corpus import CASES, Case, run_case


def test_the_corpus_covers_every_source_with_at_least_40_inputs() -> None:
    assert len(CASES) >= 40
    assert {c.source for c in CASES} == {
        "crime_cases",
        "crime_gemeinde_cases",
        "accident_points",
        "accident_counts",
        "boundaries",
        "population",
        "register",
    }


@pytest.mark.real_data  # the inputs are made from the published files in ../shared/data
@pytest.mark.parametrize("case", CASES, ids=[f"{c.source}: {c.name}" for c in CASES])
def test_malformed_input(case: Case, tmp_path: Path) -> None:
    outcome = run_case(case, tmp_path)
    assert outcome.kind == case.expected, outcome.message
    assert outcome.balanced, "rows read != rows loaded + rows quarantined"
    assert "Traceback" not in outcome.message
    if outcome.kind in ("error", "refused"):
        named = {p.name for p in (tmp_path / "raw").rglob("*") if p.is_file()}
        assert any(n in outcome.message for n in named) or "councils" in outcome.message, outcome.message
    if outcome.kind == "quarantine":
        assert outcome.rows_quarantined >= 1 and outcome.message


def test_every_safeguard_of_the_reliability_report_names_a_test_and_case_that_exist() -> None:
    from tests.conftest import PROJECT_ROOT
    from tests.reliability.report import SAFEGUARDS

    names = {c.name for c in CASES}
    for _, damage, _, tests, case in SAFEGUARDS:
        assert case is None or case in names, (damage, case)
        current = ""
        for part in (p.strip() for p in tests.split(",")):
            current, _, function = part.partition("::") if part.startswith("tests/") else (current, "", part[2:])
            assert (PROJECT_ROOT / current).is_file(), (damage, current)
            assert not function or f"def {function}(" in (PROJECT_ROOT / current).read_text(encoding="utf-8"), function
