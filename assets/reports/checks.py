"""Checks on the products: nothing personal gets out, and nothing a person reads is internal."""

from __future__ import annotations

import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, MetadataValue, asset_check

from assets._shared import table_metadata
from pipelines.resources import RawData, ReportSettings
from praevention.publish.privacy_scan import register_contact_names, remove_leaking_files, scan
from praevention.publish.product_check import check_products
from praevention.register.load import discover_register_files
from praevention.render.products import CACHE_FOLDER

#: how many findings a failed check lists (the rest are counted)
LISTED = 30


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
    leaking = remove_leaking_files(out, findings)  # never left where people can read it
    # which file, where, what kind – never the personal data itself
    problems = [f"{f.file} ({f.where}): {f.label}" for f in findings]
    return AssetCheckResult(
        passed=not findings,
        severity=AssetCheckSeverity.ERROR,
        description=f"personal data in {len(leaking)} file(s), removed: {', '.join(leaking[:5])}" if leaking else None,
        metadata={
            "findings": MetadataValue.int(len(findings)),
            "files_removed": MetadataValue.json(leaking),
            "files_scanned": MetadataValue.json(dict(coverage)),
            "contact_names_checked": MetadataValue.int(len(names)),
            "problems": MetadataValue.json(problems[:LISTED]),
        },
    )


@asset_check(
    asset="site",
    name="product_check",
    blocking=True,
    description="Blocking: no internal code, English word, register ID, file path or unsuppressed small count in "
    "anything a person reads (word list: data/product_check_words.yaml).",
)
def product_check(report_settings: ReportSettings) -> AssetCheckResult:
    problems, n_files = check_products(report_settings.resolved())
    table = pd.DataFrame(
        [{"file": p.file, "where": p.where, "kind": p.kind, "text": p.text} for p in problems[:LISTED]]
    )
    return AssetCheckResult(
        passed=not problems,
        severity=AssetCheckSeverity.ERROR,
        metadata={
            "problems_found": MetadataValue.int(len(problems)),
            "files_read": MetadataValue.int(n_files),
            "problems": MetadataValue.json([p.line() for p in problems[:LISTED]]),
            "examples": table_metadata(table) if len(table) else MetadataValue.text("none"),
        },
    )


checks = [privacy_scan, product_check]
