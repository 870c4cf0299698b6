"""Checks on the products: nothing personal gets out."""

from __future__ import annotations

import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, MetadataValue, asset_check

from pipelines.markdown import markdown_table
from pipelines.privacy import register_contact_names, scan
from pipelines.register.load import discover_register_files
from pipelines.resources import RawData, ReportSettings


@asset_check(
    asset="site",
    name="privacy_scan",
    blocking=True,
    description="Blocking: no e-mail address, phone number or name from the register's contact columns in any "
    "output (HTML, PDF text, XLSX, PPTX, SVG, CSV).",
)
def privacy_scan(raw_data: RawData, report_settings: ReportSettings) -> AssetCheckResult:
    names = register_contact_names(discover_register_files(raw_data.resolved(), raw_data.register()))
    out = report_settings.resolved()
    findings, coverage = scan(out, names, cache=out / ".state" / "privacy_scan.cache.json")
    examples = [{"file": f.file, "kind": f.kind, "text": f.text[:3] + "…"} for f in findings[:20]]
    return AssetCheckResult(
        passed=not findings,
        severity=AssetCheckSeverity.ERROR,
        metadata={
            "findings": MetadataValue.int(len(findings)),
            "files_scanned": MetadataValue.json(dict(coverage)),
            "contact_names_checked": MetadataValue.int(len(names)),
            "examples": MetadataValue.md(markdown_table(pd.DataFrame(examples)))
            if examples
            else MetadataValue.text("none"),
        },
    )


checks = [privacy_scan]
