"""What a materialization records beside Dagster's code and data versions, for the run planner
(:mod:`pipelines.engine`) to read back:

* ``target``: where the result lives and the settings it depends on (warehouse file and Land; output
  folder, Land, regions, synthetic label), so that a run for another warehouse or folder does the work again;
* ``raw_files``: a source's input, the digest of the raw files it loaded (its data version is the digest of
  the tables it wrote: a file saved again with the same rows changes nothing downstream);
* ``file_list``: a product's files, relative to the output folder, so that a product whose files are gone
  is rendered again.

Kept apart from the planner so that the asset definitions import nothing but these names.
"""

from __future__ import annotations

from pathlib import Path

TARGET = "target"
RAW_FILES = "raw_files"
#: the definition metadata of a source asset naming the kinds of raw files it loads (:mod:`praevention.discovery`)
SOURCE_KINDS = "source_kinds"
#: the definition metadata naming the data files an asset reads (``data/literature.yaml``): part of its code
#: version (:mod:`pipelines.versions`)
DATA_FILES = "data_files"
FILE_LIST = "file_list"
#: the asset group of the products: their target is the output folder, not the warehouse
REPORT_GROUP = "reports"
#: the asset that publishes the checked products into the output folder
PUBLICATION = "publication"


def warehouse_target(warehouse: Path, land: str) -> str:
    """The ``target`` of a warehouse asset: the DuckDB file and the Land it was built for."""
    return f"{warehouse} (Land {land})"


def report_target(out_dir: Path, land: str, synthetic: bool, regions: str) -> str:
    """The ``target`` of a product: the output folder and the settings its files depend on."""
    return f"{out_dir} (Land {land}, {regions}{', synthetic' if synthetic else ''})"
