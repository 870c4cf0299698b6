"""Every table an asset reads is among its declared dependencies, and it declares no asset whose tables it
does not read: the pipeline runs on Demoland with a warehouse whose connections log every query (DuckDB's
query log), and the tables named in the queries of each step are compared with what the step declares.
Checks read only their asset's tables and their declared additional dependencies.

The renderers receive the report data, never a connection, so they are replaced by stand-ins here: what a
product reads from the warehouse, it reads before them (:func:`praevention.render.data.load_report_data`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import pytest
from dagster import AssetKey, OpExecutionContext, materialize

from pipelines.definitions import ALL_ASSETS, ALL_CHECKS
from pipelines.resources import DuckDBWarehouse, RawData, ReportSettings
from praevention import warehouse
from praevention.demo.generate import LAND, generate_demo
from praevention.render import products

#: step (op) name → every query its warehouse connections ran
QUERIES: dict[str, list[str]] = {}
BOOKKEEPING = ("quarantine", "ingest_log")
#: the images of the ministry report the products name
FIGURE_KEYS = ("overview_map", "forest_plot")
#: every asset and check of the pipeline runs once for the module, on one worker
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dependencies")]


class RecordingWarehouse(DuckDBWarehouse):
    """The warehouse, logging the queries of every connection under the step that opened it."""

    @contextlib.contextmanager
    def connect(self, *, read_only: bool = False, spatial: bool = True) -> Iterator:
        with super().connect(read_only=read_only, spatial=spatial) as con:
            con.execute("CALL enable_logging('QueryLog')")
            try:
                yield con
            finally:
                logged = con.execute("SELECT message FROM duckdb_logs WHERE type = 'QueryLog'").fetchall()
                con.execute("CALL truncate_duckdb_logs()")
                QUERIES.setdefault(OpExecutionContext.get().op.name, []).extend(q for (q,) in logged)


def tables_in(query: str, known: set[str]) -> tuple[set[str], set[str]]:
    """(tables read, tables written) by one query, among the warehouse's tables ``known``."""
    text = re.sub(r"'[^']*'", "''", re.sub(r"--[^\n]*", "", query))  # no comments, no string literals
    written = set(re.findall(r"(?i)\bRENAME\s+TO\s+(\w+)", text)) & known
    if re.match(r"(?is)\s*(DELETE|DROP|ALTER|CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS)\b", text):
        return set(), written
    named = set(re.findall(r"(?i)\b(?:FROM|JOIN|DESCRIBE)\s+(\w+)", text)) & known
    if re.search(r"(?i)\bWHERE\s+asset\s*=\s*\?", text):  # an asset's own rows of the shared bookkeeping tables
        named -= set(BOOKKEEPING)
    return named, written


@pytest.fixture(scope="module")
def reads(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, set[str]], dict[str, str]]:
    """(step → tables it read, table → the asset that writes it) from one run of every asset and check."""
    root = tmp_path_factory.mktemp("dependencies")
    generate_demo(root / "rohdaten")
    path = root / "warehouse.duckdb"
    stand_ins = {
        "maps_and_charts": lambda data, out, progress=None: products.Figures([], {}, dict.fromkeys(FIGURE_KEYS, "")),
        "fact_sheets": lambda data, out, progress=None: [],
        "ministry_report": lambda data, out, figures: [],
        "conference_kit": lambda data, out, figures: [],
        "site": lambda data, out, linked: [],
    }
    QUERIES.clear()
    with pytest.MonkeyPatch.context() as mp:
        for name, stand_in in stand_ins.items():
            mp.setattr(products, name, stand_in)
        result = materialize(
            [*ALL_ASSETS, *ALL_CHECKS],
            resources={
                "warehouse": RecordingWarehouse(path=str(path)),
                "raw_data": RawData(raw_dir=str(root / "rohdaten"), land=LAND),
                "report_settings": ReportSettings(out_dir=str(root / "out"), synthetic=True),
            },
        )
    assert result.success
    con = warehouse.connect(path, read_only=True, spatial=False)
    known = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    con.close()
    read: dict[str, set[str]] = {}
    writer: dict[str, str] = {}
    steps = {d.node_def.name: d for d in ALL_ASSETS}
    for step, queries in QUERIES.items():
        for query in queries:
            named, written = tables_in(query, known)
            read.setdefault(step, set()).update(named)
            for table in written:  # a table named as one of the step's assets is that asset's (register_bodies)
                keys = {k.to_user_string() for k in steps[step].keys}
                writer[table] = table if table in keys else "/".join(sorted(keys))
    return read, writer


def _assets_of(tables: set[str], writer: dict[str, str]) -> set[str]:
    """The assets whose tables these are; a shared bookkeeping table stands for every asset that writes rows."""
    out = {writer[t] for t in tables if t not in BOOKKEEPING}
    if set(BOOKKEEPING) & tables:  # the sources and the register write rows there, the evaluation writes none
        evaluation = {"panel", "measure_effects", "treated_units", "calibration", "registered_sites"}
        out |= {asset for table, asset in writer.items() if table not in BOOKKEEPING} - evaluation
    return out


def _declared(definition) -> set[str]:
    parents = {dep.asset_key for spec in definition.specs for dep in spec.deps} - set(definition.keys)
    return {p.to_user_string() for p in parents}


@pytest.mark.parametrize("definition", ALL_ASSETS, ids=lambda d: d.node_def.name)
def test_each_asset_declares_exactly_the_tables_it_reads(definition, reads) -> None:
    read, writer = reads
    own = set(definition.keys)
    found = _assets_of(read.get(definition.node_def.name, set()), writer)
    found -= {k.to_user_string() for k in own}
    data_inputs = {"maps_and_charts", "fact_sheets", "ministry_report", "conference_kit", "site"}  # values, not tables
    assert found == _declared(definition) - data_inputs


def test_the_calibration_reads_the_treated_units_not_the_registers_text(reads) -> None:
    read, _ = reads
    assert read["calibration"] >= {"panel", "treated_units"}
    assert not {"register_bodies", "register_measures", "accident_points"} & read["calibration"]


@pytest.mark.parametrize("checks", ALL_CHECKS, ids=lambda c: c.node_def.name)
def test_each_check_reads_its_asset_and_its_declared_additional_dependencies(checks, reads) -> None:
    read, writer = reads
    specs = list(checks.check_specs)
    allowed = {s.asset_key for s in specs} | {dep.asset_key for s in specs for dep in s.additional_deps}
    tables = read.get(checks.node_def.name, set()) - set(BOOKKEEPING)  # its own rows: WHERE asset = ?
    assert {AssetKey(writer[t]) for t in tables} <= allowed


def test_the_query_log_sees_reads_and_writes() -> None:
    known = {"panel", "boundaries", "quarantine", "calibration"}
    assert tables_in("SELECT * FROM panel p JOIN boundaries b USING (ags)", known) == ({"panel", "boundaries"}, set())
    assert tables_in("ALTER TABLE calibration__staging RENAME TO calibration", known) == (set(), {"calibration"})
    assert tables_in("DELETE FROM quarantine WHERE asset = ?", known) == (set(), set())
    assert tables_in("SELECT count(*) FROM quarantine t WHERE asset = ?", known) == (set(), set())
    assert tables_in("SELECT asset, reason FROM quarantine GROUP BY ALL", known) == ({"quarantine"}, set())
    assert tables_in("SELECT 'FROM panel' AS x FROM calibration", known) == ({"calibration"}, set())
    assert tables_in("-- each Kreis's row\nSELECT * FROM boundaries WHERE level = 'Kreis'", known) == (
        {"boundaries"},
        set(),
    )


def test_the_stand_ins_take_what_the_renderers_take() -> None:
    import inspect

    for name in ("maps_and_charts", "fact_sheets", "ministry_report", "conference_kit", "site"):
        assert "con" not in inspect.signature(getattr(products, name)).parameters, name
