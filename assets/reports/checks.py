"""Checks on the products: nothing personal gets out."""

from __future__ import annotations

import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, MetadataValue, asset_check

from assets._shared import table_metadata
from pipelines.privacy import register_contact_names, scan
from pipelines.register.load import discover_register_files
from pipelines.render.products import CACHE_FOLDER
from pipelines.resources import RawData, ReportSettings


@asset_check(
    asset="site",
    name="privacy_scan",
    blocking=True,
    description="Blocking: no e-mail address, phone number or name from the register's contact columns in any "
    "output (HTML, PDF text, XLSX, PPTX, SVG, CSV). A file with a finding is removed from the output folder, "
    "and the check fails on every run until the input no longer leaks.",
)
def privacy_scan(raw_data: RawData, report_settings: ReportSettings) -> AssetCheckResult:
    names = register_contact_names(discover_register_files(raw_data.resolved(), raw_data.register()))
    out = report_settings.resolved()
    findings, coverage = scan(out, names, cache=out / CACHE_FOLDER / "privacy_scan.cache.json")
    leaking = sorted({f.file for f in findings})
    for rel in leaking:  # never left where people can read it
        (out / rel).unlink(missing_ok=True)
    examples = [{"file": f.file, "kind": f.kind, "text": f.text[:3] + "…"} for f in findings[:20]]
    return AssetCheckResult(
        passed=not findings,
        severity=AssetCheckSeverity.ERROR,
        description=f"personal data in {len(leaking)} file(s), removed: {', '.join(leaking[:5])}" if leaking else None,
        metadata={
            "findings": MetadataValue.int(len(findings)),
            "files_removed": MetadataValue.json(leaking),
            "files_scanned": MetadataValue.json(dict(coverage)),
            "contact_names_checked": MetadataValue.int(len(names)),
            "examples": table_metadata(pd.DataFrame(examples)) if examples else MetadataValue.text("none"),
        },
    )


checks = [privacy_scan]
