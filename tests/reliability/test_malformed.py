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
