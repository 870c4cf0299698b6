"""Reports domain: maps, fact sheets, the ministry report, conference decks, the static site and their publication."""

from pathlib import Path

from dagster import AssetExecutionContext, AssetIn, Output, asset

from assets.reports.assets import (
    DATA_FILES,
    WAREHOUSE_INPUTS,
    product_spec,
    progress_of,
    publish_products,
    render_product,
)
from assets.reports.checks import checks
from pipelines.resources import DuckDBWarehouse, RawData, ReportSettings
from praevention.render import products
from praevention.render.products import Figures

#: the products the site links and the publication publishes, as the inputs of those assets
PRODUCT_INPUTS = {
    "figures": AssetIn("maps_and_charts"),
    "sheets": AssetIn("fact_sheets"),
    "report": AssetIn("ministry_report"),
    "decks": AssetIn("conference_kit"),
}


@asset(
    deps=WAREHOUSE_INPUTS,
    description="Choropleth maps per Kreis (crime) and Gemeinde (accidents), accident point maps and the overview "
    "of all bodies (interactive HTML with German hover text; classes by Fisher-Jenks, colour-blind-safe palettes, "
    "sources printed), plus every chart of the ministry report and the conference decks: all PNG (300 dpi) and SVG "
    "exported in one kaleido session. Output: karten/, ministerium/img/, konferenz/<Region>/. Its value (the "
    "exported figures with the decks' titles) is the input of the ministry report and the conference kit.",
    **product_spec({"plotly", "png", "svg"}),
)
def maps_and_charts(
    context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData, report_settings: ReportSettings
) -> Output:
    return render_product(
        context,
        warehouse,
        raw_data,
        report_settings,
        lambda data, out: products.maps_and_charts(data, out, progress=progress_of(context)),
        files_of=lambda figures: figures.files,
        preview=lambda figures, out: out / figures.ministry["overview_map"],
    )


@asset(
    deps=WAREHOUSE_INPUTS,
    description="One fact sheet (PDF and HTML, two pages at most) per Gemeinde, per Landkreis and per register body "
    "(placeholders excluded): locator map, key indicators of their newest year against Kreis and Land, changes on "
    "the products' one base, effects with verdicts, data gaps, sources, date of the data; small counts hidden by "
    "the one disclosure rule. Output: steckbriefe/.",
    **product_spec({"pdf", "html", "typst"}),
)
def fact_sheets(
    context: AssetExecutionContext, warehouse: DuckDBWarehouse, raw_data: RawData, report_settings: ReportSettings
) -> Output:
    return render_product(
        context,
        warehouse,
        raw_data,
        report_settings,
        lambda data, out: products.fact_sheets(data, out, progress=progress_of(context)),
    )


@asset(
    deps=WAREHOUSE_INPUTS,
    ins={"figures": AssetIn("maps_and_charts")},
    description="Report for the Ministry (HTML, PDF, XLSX with one sheet per table): overview map, forest plot "
    "with pooled estimates, comparison of methods, data quality, caveats; its images come from maps_and_charts. "
    "Output: ministerium/.",
    **product_spec({"pdf", "html", "excel"}),
)
def ministry_report(
    context: AssetExecutionContext,
    warehouse: DuckDBWarehouse,
    raw_data: RawData,
    report_settings: ReportSettings,
    figures: Figures,
) -> Output:
    return render_product(
        context,
        warehouse,
        raw_data,
        report_settings,
        lambda data, out: products.ministry_report(data, out, figures),
        preview=lambda files, out: out / figures.ministry["forest_plot"],
    )


@asset(
    deps=WAREHOUSE_INPUTS,
    ins={"figures": AssetIn("maps_and_charts")},
    description="Conference decks (PPTX) per region, each chart also as PNG (300 dpi) and SVG 16:9; titles state "
    "the finding; the charts come from maps_and_charts. Output: konferenz/.",
    **product_spec({"powerpoint", "png", "svg"}),
)
def conference_kit(
    context: AssetExecutionContext,
    warehouse: DuckDBWarehouse,
    raw_data: RawData,
    report_settings: ReportSettings,
    figures: Figures,
) -> Output:
    def first_map(files: list[Path], out: Path) -> Path | None:
        maps = [entry["map"]["png"] for entry in figures.slides.values()]
        return out / products.FOLDERS["conference_kit"] / maps[0] if maps else None

    return render_product(
        context,
        warehouse,
        raw_data,
        report_settings,
        lambda data, out: products.conference_kit(data, out, figures),
        preview=first_map,
    )


@asset(
    deps=WAREHOUSE_INPUTS,
    ins=PRODUCT_INPUTS,
    description="Static site index.html linking every product, with municipality search and a clickable map; works "
    "without a server. Its checks scan every product for personal data and for anything internal "
    "(word list data/product_check_words.yaml).",
    **product_spec({"html"}, [*DATA_FILES, "data/product_check_words.yaml"]),
)
def site(
    context: AssetExecutionContext,
    warehouse: DuckDBWarehouse,
    raw_data: RawData,
    report_settings: ReportSettings,
    figures: Figures,
    sheets: list,
    report: list,
    decks: list,
) -> Output:
    linked = {
        "maps_and_charts": figures.files,
        "fact_sheets": sheets,
        "ministry_report": report,
        "conference_kit": decks,
    }
    return render_product(
        context, warehouse, raw_data, report_settings, lambda data, out: products.site(data, out, linked)
    )


@asset(
    ins={**PRODUCT_INPUTS, "index": AssetIn("site")},
    description="The output folder as people see it: the products, rendered and checked in the staging folder, "
    "published only when the privacy scan and the product check on site passed (blocking checks). Files are "
    "replaced one by one, each complete; the folder's manifest (.praeventionsmonitor.json) lists them, and only "
    "listed files are ever changed or removed.",
    **product_spec({"folder"}),
)
def publication(
    context: AssetExecutionContext,
    raw_data: RawData,
    report_settings: ReportSettings,
    figures: Figures,
    sheets: list,
    report: list,
    decks: list,
    index: list,
) -> Output:
    return publish_products(context, raw_data, report_settings, [*figures.files, *sheets, *report, *decks, *index])


assets = [maps_and_charts, fact_sheets, ministry_report, conference_kit, site, publication]
__all__ = ["assets", "checks"]
