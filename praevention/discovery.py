"""Find raw files by name pattern and by content, so official download names and the names in
``../shared/data`` both work.

Every file under the raw-data directory is classified into one source kind, or listed as
unrecognised. Classification looks at the content first (a few KB, or a zip's member list) and falls
back to the file name only where the content alone is ambiguous.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gzip
import os
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from praevention.errors import PipelineError
from praevention.readers.lka import header_columns, is_lka_header
from praevention.readers.pks import cell_text
from praevention.survey.read import has_survey_sheets, is_survey_header
from praevention.survey.read import header_columns as survey_header

# derived twins of originals that are read instead: recognised, not loaded
DERIVED = "derived_twin"
_IGNORED_SUFFIXES = {".md", ".txt~", ".rds", ".pdf", ".prj", ".cpg", ".dbf", ".shx", ".shp", ".lock", ".part"}
# read-me and provenance files beside the data: not a source, and not worth a "not loaded" line
DOCUMENTATION_SUFFIXES = {".md", ".pdf", ".html"}
DOCUMENTATION_NAMES = ("readme", "hinweise", "provenance", "liesmich")


def is_documentation(path: Path) -> bool:
    return path.suffix.lower() in DOCUMENTATION_SUFFIXES or path.name.lower().startswith(DOCUMENTATION_NAMES)


#: the raw-data folder that stored file names are relative to while a source loads (:func:`labels_relative_to`)
_LABEL_ROOT: contextvars.ContextVar[str | None] = contextvars.ContextVar("label_root", default=None)


@contextlib.contextmanager
def labels_relative_to(raw_dir: Path) -> Iterator[None]:
    """While the block runs, :func:`display_path` names files below ``raw_dir`` relative to it (and files
    elsewhere by their name), so that the warehouse and the asset metadata hold no absolute paths."""
    token = _LABEL_ROOT.set(os.path.abspath(raw_dir))
    try:
        yield
    finally:
        _LABEL_ROOT.reset(token)


def _decoded(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def has_utf8_name(path: Path | str) -> bool:
    """Whether the file name is valid UTF-8 (libraries that need UTF-8 paths can open it directly)."""
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def display_path(path: Path | str) -> str:
    """A path as text that can be printed and stored: a file name with bytes that are not UTF-8 (a latin-1
    ``ä`` from an old archive) is shown with them read as Windows-1252 instead of as surrogates. Inside
    :func:`labels_relative_to` a file below the raw-data folder is named relative to it, any other by its
    name alone."""
    root = _LABEL_ROOT.get()
    if root is None:
        return _decoded(os.fsencode(path))
    absolute = os.path.abspath(path)
    inside = os.path.commonpath([root, absolute]) == root
    return _decoded(os.fsencode(os.path.relpath(absolute, root) if inside else os.path.basename(absolute)))


@dataclass
class Discovery:
    raw_dir: Path
    files: dict[str, list[Path]] = field(default_factory=lambda: defaultdict(list))
    unrecognised: list[Path] = field(default_factory=list)
    derived: list[Path] = field(default_factory=list)
    #: files that could not be opened at all, with the reason (among ``unrecognised``)
    unreadable: dict[Path, str] = field(default_factory=dict)

    def of(self, *kinds: str) -> list[Path]:
        return sorted(p for k in kinds for p in self.files.get(k, []))

    def not_loaded(self) -> list[Path]:
        """Unrecognised files that are not documentation: the run names them as not loaded."""
        return [p for p in self.unrecognised if not is_documentation(p)]

    def why_not_loaded(self, path: Path) -> str:
        """Why an unrecognised file is not loaded: it cannot be read, or it matches no source layout."""
        return self.unreadable.get(path, NO_LAYOUT)

    def unrecognised_beside(self, paths: list[Path]) -> list[Path]:
        """Unrecognised files in the folders of ``paths``: most likely meant for the same source."""
        folders = {p.parent for p in paths}
        return [p for p in self.not_loaded() if p.parent in folders]


#: why an unrecognised, readable file is not loaded
NO_LAYOUT = "passt zu keinem bekannten Format einer Quelle"
#: why a file the pipeline may not open is not loaded, and what to do
NO_PERMISSION = (
    "keine Leseberechtigung: dem Benutzer, unter dem die Pipeline läuft, das Lesen erlauben (chmod a+r oder "
    "Eigentümer prüfen)"
)


def _head(path: Path, size: int = 4096) -> str:
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as fh:
                data = fh.read(size)
        else:
            with path.open("rb") as fh:
                data = fh.read(size)
    except (OSError, EOFError):
        return ""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        return ""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:  # a character cut at the end of the head, or a Windows-1252 file
        return (
            data[: exc.start].decode("utf-8") if exc.start > len(data) - 4 else data.decode("cp1252", errors="replace")
        )


@functools.lru_cache(maxsize=4096)
def _classify_cached(path: Path, size: int, mtime_ns: int) -> str | None:
    return classify(path)


def classify(path: Path) -> str | None:
    """The source kind of one file, ``"derived_twin"`` or ``None``."""
    name = path.name.lower()
    if path.suffix.lower() in _IGNORED_SUFFIXES or name.startswith("hinweise") or name.startswith("."):
        return None
    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: an Excel 97 workbook (.xls, BIFF)
        return _classify_workbook(path, name)
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as zf:
                members = [m.lower() for m in zf.namelist()]
        except (zipfile.BadZipFile, OSError):
            return None
        if path.suffix.lower() == ".xlsx":
            return _classify_workbook(path, name)
        if any(re.search(r"unfallorte.*\.(csv|txt)$", m) for m in members):
            return "unfallatlas_csv"
        if any(re.search(r"_(gem|krs)\.shp$", m) for m in members):
            return "boundaries"
        if any(re.search(r"gv100ad.*\.(asc|txt)$", m) for m in members):
            return "gv100ad"
        if any(re.search(r"unfallorte.*\.zip$", m) for m in members):
            return "unfallatlas_csv"  # a zip inside the zip: its reader says to unpack it
        return None
    head = _head(path)
    first = head.splitlines()[0] if head.strip() else ""
    if not head:
        return _by_name(name)
    if name.endswith((".geojson", ".json", ".geojson.gz", ".json.gz")):
        if '"FeatureCollection"' in head or '"features"' in head:
            if "UKATEGORIE" in head:
                return "unfallatlas_geojson"
            if '"AGS"' in head and '"GEN"' in head:
                return "boundaries"
            return _by_name(name)
        if re.match(r'^\s*\{\s*"\d{12}"', head) and '"population"' in head:
            return "gv_isys_json"
        return None
    if re.match(r"^Tabelle:\s*46241-00", first):
        return "genesis"
    if re.search(r"46241-01-0[34]-[45]", first):
        return "regionalstatistik"
    if "ULAND" in first.upper() and "UKATEGORIE" in first.upper():
        return "unfallatlas_csv"
    if "Straftat" in head and re.search(r"Gemeinde-?schl", head):
        return "pks_t01"
    if re.search(r"K11_T\d_var1", first):
        return DERIVED if (path.with_suffix(".xlsx")).exists() else "kiss_md"
    if "verunglueckte_je_100000_ew" in first:
        return "inkar"
    if first.startswith("satzart,") and "bevoelkerung" in first:
        return "gv_auszug_csv"
    if re.match(r"^10\d{8}\d{2}", first) or re.match(r"^(10|20|30|40|50|60)\d{8}\d{2}", first):
        return "gv100ad"
    if is_lka_header(first):
        return "lka_tatortgemeinde"
    if is_survey_header(first):
        return "survey"
    if "gremium_type" in first or "measure_as_in_source" in first:
        return "register"
    if first.startswith(("table,land,year", "year,code,name")):
        return DERIVED  # derived long forms of GENESIS / Regionalstatistik: the originals are read
    if first.startswith("ags,name,kreis_ags"):
        return DERIVED  # derived long population table: built from the GV files, which are read
    if first.startswith("AGS,") or first.startswith("year,kreis_ags"):
        return None
    return _by_name(name)


def _classify_workbook(path: Path, name: str) -> str | None:
    if re.search(r"k11_t\d", name):
        return "kiss_md"
    if re.search(r"(t01.*kreise|tb01_.*kreise|kreise-faelle)", name):
        return "pks_t01"
    try:
        from praevention.readers.pks import read_workbook_rows

        rows = read_workbook_rows(path)[:12]
    except Exception:  # an unreadable workbook is simply not recognised here; its reader says why
        rows = None
    if rows and any(header_columns([cell_text(c) for c in r]) for r in rows):
        return "lka_tatortgemeinde"
    if (rows and any(survey_header([cell_text(c) for c in r]) for r in rows)) or has_survey_sheets(path):
        return "survey"
    if re.search(r"register|praevention|gremien", name):
        return "register"
    if rows is None:
        return None
    text = " ".join(str(c) for r in rows for c in r if c is not None)
    if "Polizeiliche Kriminalstatistik" in text and "Kreise" in text:
        return "pks_t01"
    if re.search(r"K11_T\d_var1", text):
        return "kiss_md"
    return None


def _by_name(name: str) -> str | None:
    if re.search(r"unfallorte", name):
        return "unfallatlas_csv"
    if re.search(r"(t01.*kreise|tb01_.*kreise|kreise-faelle)", name):
        return "pks_t01"
    if name.startswith("gv100ad"):
        return "gv100ad"
    return None


def _walk(raw_dir: Path) -> list[Path]:
    """Every file below ``raw_dir``, following symbolic links to folders (each real folder once)."""
    seen: set[str] = set()
    files: list[Path] = []
    for root, dirs, names in os.walk(raw_dir, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:  # a link back up the tree, or a second link to the same folder
            dirs[:] = []
            continue
        seen.add(real)
        files += [Path(root) / n for n in names if (Path(root) / n).is_file()]
    return sorted(files)


def discover(raw_dir: Path) -> Discovery:
    """Classify every file below ``raw_dir`` (symbolic links to files and folders are followed)."""
    if not raw_dir.is_dir():
        raise PipelineError(f"raw-data directory {raw_dir} does not exist (set --raw-dir or PRAEVENTION_RAW_DIR)")
    found = Discovery(raw_dir)
    for path in _walk(raw_dir):
        try:
            stat = path.stat()
            kind = _classify_cached(path, stat.st_size, stat.st_mtime_ns)
        except PermissionError:
            kind = None  # unreadable: listed as not loaded with the reason, and no reader is ever asked
            found.unreadable[path] = NO_PERMISSION
        except OSError as exc:
            kind = None
            found.unreadable[path] = f"nicht lesbar ({exc.strerror or exc})"
        if kind == DERIVED:
            found.derived.append(path)
        elif kind is None:
            found.unrecognised.append(path)
        else:
            found.files[kind].append(path)
    return found
