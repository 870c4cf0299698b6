"""Checks on the staged products: nothing personal gets out, and nothing a person reads is internal.

Both run in one pass over the staging folder (every file extracted once, :mod:`praevention.publish.review`)
after the last product; both are blocking, so a finding stops ``publication``: nothing is published, and no
file is deleted after the fact.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, MetadataValue, multi_asset_check

from assets._shared import table_metadata
from pipelines.resources import RawData, ReportSettings
from praevention.publish.privacy_scan import register_contact_names
from praevention.publish.review import review
from praevention.register.load import discover_register_files
from praevention.render.products import CACHE_FOLDER

#: how many findings a failed check lists (the rest are counted)
LISTED = 30


@multi_asset_check(
    specs=[
        AssetCheckSpec(
            "privacy_scan",
            asset="site",
            blocking=True,
            description="Blocking: no e-mail address, phone number, date of birth, IBAN, personal URL parameter or "
            "name from the register's contact columns in any staged product (HTML with its embedded data, PDF text, "
            "XLSX cells and comments, PPTX text, tables, alt texts and notes, SVG, CSV). A finding stops the "
            "publication: nothing is published until the input no longer leaks.",
        ),
        AssetCheckSpec(
            "product_check",
            asset="site",
            blocking=True,
            description="Blocking: no internal code, English word, register ID, file path, unsuppressed small count "
            "or formula-like cell in anything a person reads (word list: data/product_check_words.yaml).",
        ),
    ],
)
def product_review(raw_data: RawData, report_settings: ReportSettings) -> Iterator[AssetCheckResult]:
    names = register_contact_names(discover_register_files(raw_data.resolved(), raw_data.register()))
    staging = report_settings.staging()
    result = review(staging, names, cache=staging / CACHE_FOLDER / "review.cache.json")
    files = sorted({f.file for f in result.findings})
    # which file, where, what kind – never the personal data itself
    yield AssetCheckResult(
        check_name="privacy_scan",
        asset_key="site",
        passed=not result.findings,
        severity=AssetCheckSeverity.ERROR,
        description=f"personenbezogene Daten in {len(files)} Datei(en): nichts veröffentlicht" if files else None,
        metadata={
            "findings": MetadataValue.int(len(result.findings)),
            "files_with_findings": MetadataValue.json(files),
            "files_scanned": MetadataValue.json(dict(result.coverage)),
            "contact_names_checked": MetadataValue.int(len(names)),
            "problems": MetadataValue.json([f.line() for f in result.findings[:LISTED]]),
        },
    )
    problems = result.problems
    table = pd.DataFrame(
        [{"file": p.file, "where": p.where, "kind": p.kind, "text": p.text} for p in problems[:LISTED]]
    )
    yield AssetCheckResult(
        check_name="product_check",
        asset_key="site",
        passed=not problems,
        severity=AssetCheckSeverity.ERROR,
        metadata={
            "problems_found": MetadataValue.int(len(problems)),
            "files_read": MetadataValue.int(sum(result.coverage.values())),
            "problems": MetadataValue.json([p.line() for p in problems[:LISTED]]),
            "examples": table_metadata(table) if len(table) else MetadataValue.text("none"),
        },
    )


checks = [product_review]
