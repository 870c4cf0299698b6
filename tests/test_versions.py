"""The assets' code versions mean something: every library module, SQL file and template belongs to the version
of an asset that runs it (or is named here as run by no asset), every data file a domain's code reads is
declared by its assets, a change where no asset runs changes no version, and a data file changes the
versions of the assets that read it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.definitions import DOMAINS
from pipelines.imports import ROOT, module_name, path_of
from pipelines.versions import (
    LOCK_FILE,
    RESOURCE_SUFFIXES,
    code_version,
    data_files_named,
    declared_data_files,
    domain_files,
    resources_of,
)

#: library modules no asset runs, and what runs them
NOT_RUN_BY_ASSETS = {
    "praevention.demo": "praevention demo (generates the raw files; the assets then read them)",
    "praevention.demo.generate": "praevention demo",
    "praevention.demo.streets": "praevention demo",
    "praevention.demo.real_shaped": "tests/evaluation/test_real_calibration.py (real-shaped LKA figures)",
    "praevention.demo.surveys": "praevention demo",
    "praevention.evaluation.plan": "praevention plan",
    "praevention.evaluation.simulate": "benchmarks/simulation_study.py and the tests",
    "praevention.fetch": "praevention fetch and the scheduled fetch job",
    "praevention.fetch.catalog": "praevention fetch and the scheduled fetch job",
    "praevention.fetch.download": "praevention fetch and the scheduled fetch job",
    "praevention.lka": "praevention lka template",
    "praevention.lka.template": "praevention lka template",
    "praevention.register.annotate": "praevention register check --annotate",
    "praevention.register.template": "praevention register template",
    "praevention.render.questionnaire": "praevention survey template",
}


def _domains() -> dict[str, list]:
    """Domain package → the specs of its assets."""
    return {d.__name__: [spec for a in d.assets for spec in a.specs] for d in DOMAINS}


def versions_at(root: Path) -> dict[str, str]:
    """Every asset's code version, computed over the project copy at ``root``."""
    return {
        spec.key.to_user_string(): code_version(domain, declared_data_files(spec), root)
        for domain, specs in _domains().items()
        for spec in specs
    }


def test_every_library_module_belongs_to_an_assets_version_or_is_named_as_run_by_none() -> None:
    covered = {m for domain in _domains() for m in domain_files(domain)[0]}
    library = {module_name(p) for p in (ROOT / "praevention").rglob("*.py")}
    assert library - covered == set(NOT_RUN_BY_ASSETS), "add the module to an asset's imports or to NOT_RUN_BY_ASSETS"


def test_every_sql_file_and_template_belongs_to_an_assets_version() -> None:
    covered = {r for domain in _domains() for r in domain_files(domain)[1]}
    covered |= {r for m in NOT_RUN_BY_ASSETS for r in resources_of(path_of(m))}
    beside_code = {
        f for f in (ROOT / "praevention").rglob("*") if f.suffix in RESOURCE_SUFFIXES and "__pycache__" not in f.parts
    }
    assert beside_code and beside_code <= covered


def test_each_domains_data_files_are_declared_by_its_assets() -> None:
    """What a domain's code reads from ``data/`` is declared by the assets that read it, and nothing else is."""
    for domain, specs in _domains().items():
        named = {f for m in domain_files(domain)[0] for f in data_files_named(path_of(m))}
        declared = {f for spec in specs for f in declared_data_files(spec)}
        assert declared == named, domain
    assert declared_data_files(next(s for s in _domains()["assets.evaluation"] if s.key.path == ["panel"])) == []


def test_the_definitions_carry_these_versions() -> None:
    from pipelines.definitions import ALL_ASSETS

    found = {spec.key.to_user_string(): spec.code_version for a in ALL_ASSETS for spec in a.specs}
    assert found == versions_at(ROOT)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the code, the data files and the lock file."""
    for top in ("praevention", "assets", "pipelines"):
        shutil.copytree(ROOT / top, tmp_path / top, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "data").mkdir()
    for f in (ROOT / "data").glob("*.yaml"):
        shutil.copy(f, tmp_path / "data" / f.name)
    shutil.copy(ROOT / LOCK_FILE, tmp_path / LOCK_FILE)
    return tmp_path


def test_a_change_where_no_asset_runs_changes_no_version(project: Path) -> None:
    before = versions_at(project)
    with (project / "praevention" / "fetch" / "download.py").open("a", encoding="utf-8") as f:
        f.write("# a comment\n")
    with (project / "data" / "sources.yaml").open("a", encoding="utf-8") as f:
        f.write("# checked\n")
    assert versions_at(project) == before


def test_a_data_file_changes_the_versions_of_the_assets_that_read_it(project: Path) -> None:
    before = versions_at(project)
    with (project / "data" / "literature.yaml").open("a", encoding="utf-8") as f:
        f.write("\n# checked\n")
    after = versions_at(project)
    changed = {k for k in before if before[k] != after[k]}
    products = {"maps_and_charts", "fact_sheets", "ministry_report", "conference_kit", "site", "publication"}
    assert changed == {"measure_effects"} | products
    with (project / "data" / "product_check_words.yaml").open("a", encoding="utf-8") as f:
        f.write("\n# checked\n")
    assert {k for k, v in versions_at(project).items() if v != after[k]} == {"site"}


def test_code_and_the_lock_file_change_the_versions_of_what_runs_them(project: Path) -> None:
    before = versions_at(project)
    with (project / "praevention" / "evaluation" / "sql" / "land_points.sql").open("a", encoding="utf-8") as f:
        f.write("-- a note\n")
    after = versions_at(project)
    assert {k for k in before if before[k] != after[k]} == {
        "panel",
        "measure_effects",
        "treated_units",
        "calibration",
        "registered_sites",
        "accident_screening",
        "site_calibration",
    }
    with (project / LOCK_FILE).open("a", encoding="utf-8") as f:
        f.write("\n")
    assert all(v != after[k] for k, v in versions_at(project).items())
