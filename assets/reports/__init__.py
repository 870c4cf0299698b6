"""Reports domain: maps, fact sheets, the ministry report, conference decks and the static site."""

from assets.reports.assets import WAREHOUSE_INPUTS, report_asset
from assets.reports.checks import checks
from pipelines.render import products

maps_and_charts = report_asset(
    "maps_and_charts",
    "Choropleth maps per Kreis (crime) and Gemeinde (accidents), accident point maps and the overview of all bodies "
    "(interactive HTML with German hover text; classes by Fisher-Jenks, colour-blind-safe palettes, sources printed), "
    "plus every chart of the ministry report and the conference decks: all PNG (300 dpi) and SVG exported in one "
    "kaleido session. Output: karten/, ministerium/img/, konferenz/<Region>/.",
    products.maps_and_charts,
    WAREHOUSE_INPUTS,
)
fact_sheets = report_asset(
    "fact_sheets",
    "One fact sheet (PDF and HTML, two pages at most) per Gemeinde of the Land and per register body: "
    "locator map, key indicators against Kreis and Land, effects with verdicts, data gaps, sources, "
    "date of the data; small counts marked. Output: steckbriefe/.",
    products.fact_sheets,
    WAREHOUSE_INPUTS,
)
ministry_report = report_asset(
    "ministry_report",
    "Report for the Ministry (HTML, PDF, XLSX with one sheet per table): overview map, forest plot "
    "with pooled estimates, comparison of methods, data quality, caveats. Output: ministerium/.",
    products.ministry_report,
    [*WAREHOUSE_INPUTS, "maps_and_charts"],
)
conference_kit = report_asset(
    "conference_kit",
    "Conference decks (PPTX) per region, each chart also as PNG (300 dpi) and SVG 16:9; titles state "
    "the finding. Output: konferenz/.",
    products.conference_kit,
    [*WAREHOUSE_INPUTS, "maps_and_charts"],
)
site = report_asset(
    "site",
    "Static site index.html linking every product, with municipality search and a clickable map; works "
    "without a server.",
    products.site,
    [*WAREHOUSE_INPUTS, "maps_and_charts", "fact_sheets", "ministry_report", "conference_kit"],
)

assets = [maps_and_charts, fact_sheets, ministry_report, conference_kit, site]
__all__ = ["assets", "checks"]
