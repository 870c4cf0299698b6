"""The output folder is the project's alone: it is claimed before anything is written, and only the files
its manifest lists are ever changed or removed.

* :func:`claim` makes sure a folder may receive the products: a new or empty folder (placeholders such as
  ``.gitkeep`` aside) gets the manifest
  (:data:`MANIFEST`); a folder that holds it is the project's; a non-empty folder without it (a shared
  drive, an intranet folder, someone's own files), a file, or the raw-data folder (or a folder inside it)
  is refused with one German line saying what to do.
* :func:`publish` copies the staged products (rendered and checked in :func:`praevention.config.staging_dir`)
  into the folder: each file is written to a temporary file beside its target and renamed over it when
  complete, files whose content is unchanged are not touched, and files the manifest lists but the
  products no longer write are removed. A file the manifest does not list is never overwritten: a
  product that would replace one stops the publication before any file is written. The manifest lists
  every file to be written before the first is copied, so that an interrupted publication leaves nothing
  unlisted behind, and is written again with the files' digests when all are in place.
* :func:`remove_partial_files` removes the temporary files a killed run left behind (``.<name>.<random>.partial``
  as :func:`praevention.files.atomic_target` names them): all of them in the staging folder, and in the
  output folder those of files the manifest lists.
"""

from __future__ import annotations

import glob
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from praevention.digest import file_digest
from praevention.errors import PipelineError
from praevention.files import atomic_target, write_atomic

#: the manifest's file name in the output folder
MANIFEST = ".praeventionsmonitor.json"
#: files that keep a folder in version control or that a file manager leaves: the folder is still empty
PLACEHOLDERS = {".gitkeep", ".keep", ".DS_Store", "Thumbs.db", "desktop.ini"}
OWNER = "Präventionsmonitor"
#: a temporary file of :func:`praevention.files.atomic_target`, or a temporary folder of a product
PARTIAL = re.compile(r"^\.(?P<stem>.{0,40})\.[a-z0-9_]{8}\.partial(?P<suffix>\.[^.]*)?$|^\.partial-")


@dataclass
class Manifest:
    """The files the project wrote into an output folder: relative path → digest, size and modification time."""

    files: dict[str, dict[str, object]] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        doc = {
            "erstellt_von": OWNER,
            "hinweis": "Dieser Ordner gehört dem Präventionsmonitor. Er ändert und entfernt nur die hier "
            "aufgeführten Dateien; eigene Dateien gehören in einen anderen Ordner.",
            "dateien": dict(sorted(self.files.items())),
            "in_arbeit": sorted(self.pending),
        }
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest of ``folder``, ``None`` when it has none; a damaged one is an error naming it."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        files = {str(k): dict(v) for k, v in doc["dateien"].items()}
        pending = [str(p) for p in doc.get("in_arbeit", [])]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PipelineError(
            f"{path}: das Verzeichnis der veröffentlichten Dateien ist beschädigt ({type(exc).__name__}); "
            "löschen Sie den Ausgabeordner oder wählen Sie mit --out einen neuen"
        ) from exc
    return Manifest(files, pending)


def _write_manifest(folder: Path, manifest: Manifest) -> None:
    write_atomic(Path(folder) / MANIFEST, manifest.to_json())


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def claim(out: Path, raw_dir: Path | None = None) -> Path:
    """Make sure the products may be written into ``out`` (see the module's description); returns the
    resolved folder. Raises :class:`~praevention.errors.PipelineError` with one German line otherwise."""
    out = Path(out).expanduser()
    if out.exists() and not out.is_dir():
        raise PipelineError(
            f"{out}: --out nennt eine Datei, keinen Ordner; geben Sie einen Ordner an (er wird angelegt, wenn es ihn "
            "nicht gibt)"
        )
    resolved = out.resolve()
    if raw_dir is not None and _inside(resolved, Path(raw_dir).resolve()):
        raise PipelineError(
            f"{out}: der Ausgabeordner ist der Rohdatenordner oder liegt darin; in den Rohdatenordner wird nie "
            "geschrieben, wählen Sie mit --out einen eigenen Ordner"
        )
    if not resolved.exists():
        try:
            resolved.mkdir(parents=True)
        except OSError as exc:
            raise PipelineError(
                f"{out}: der Ausgabeordner kann nicht angelegt werden ({exc.strerror}); prüfen Sie den Pfad und die "
                "Schreibrechte"
            ) from exc
    if read_manifest(resolved) is not None:
        return resolved
    foreign = sorted(p.name for p in resolved.iterdir() if p.name not in PLACEHOLDERS)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" und {len(foreign) - 3} weitere" if len(foreign) > 3 else "")
        raise PipelineError(
            f"{out}: der Ordner enthält schon Dateien, die nicht vom Präventionsmonitor stammen ({shown}); er "
            "schreibt nur in einen neuen oder leeren Ordner oder in einen, den er selbst angelegt hat – wählen Sie "
            "mit --out einen anderen Ordner"
        )
    try:
        _write_manifest(resolved, Manifest())
    except OSError as exc:
        raise PipelineError(f"{out}: in den Ausgabeordner kann nicht geschrieben werden ({exc.strerror})") from exc
    return resolved


@dataclass(frozen=True)
class Published:
    """What one publication did (paths relative to the output folder)."""

    written: list[str]
    removed: list[str]


def _safe(folder: Path, rel: str) -> Path:
    """``folder / rel`` when it stays inside ``folder`` (no ``..``, no link leading out), else an error."""
    path = folder / rel
    if Path(rel).is_absolute() or ".." in Path(rel).parts or not path.resolve().is_relative_to(folder.resolve()):
        raise PipelineError(f"{folder}: {rel} liegt nicht im Ausgabeordner; nichts veröffentlicht")
    return path


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def publish(staging: Path, out: Path, files: list[str]) -> Published:
    """Publish the staged ``files`` (relative paths) from ``staging`` into the claimed folder ``out``."""
    manifest = read_manifest(out)
    if manifest is None:
        raise PipelineError(
            f"{out}: der Ausgabeordner trägt kein Verzeichnis des Präventionsmonitors; nichts veröffentlicht"
        )
    wanted = sorted(set(files))
    ours = set(manifest.files) | set(manifest.pending)  # pending: listed by a publication that was cut short
    targets = {rel: _safe(out, rel) for rel in wanted}
    foreign = [rel for rel, dst in targets.items() if rel not in ours and (dst.exists() or dst.is_symlink())]
    if foreign:
        raise PipelineError(
            f"{out}: {', '.join(foreign[:3])} gehört nicht dem Präventionsmonitor und würde überschrieben; nichts "
            "veröffentlicht – verschieben Sie die Datei oder wählen Sie mit --out einen anderen Ordner"
        )
    missing = [rel for rel in wanted if not (staging / rel).is_file()]
    if missing:
        raise PipelineError(f"{staging}: {', '.join(missing[:3])} fehlt im Zwischenordner; nichts veröffentlicht")
    # what will be written is listed before the first file is copied
    _write_manifest(out, Manifest(manifest.files, sorted((set(wanted) | set(manifest.pending)) - set(manifest.files))))
    entries: dict[str, dict[str, object]] = {}
    written = []
    for rel in wanted:
        src, dst = staging / rel, targets[rel]
        digest = file_digest(src)
        old = manifest.files.get(rel)
        unchanged = (
            old is not None
            and old.get("sha256") == digest
            and dst.is_file()
            and not dst.is_symlink()
            and [old.get("size"), old.get("mtime_ns")] == list(_stamp(dst))
        )
        if not unchanged:
            with atomic_target(dst) as tmp:
                shutil.copyfile(src, tmp)
            written.append(rel)
        size, mtime = _stamp(dst)
        entries[rel] = {"sha256": digest, "size": size, "mtime_ns": mtime}
    removed = []
    for rel in sorted(ours - set(wanted)):
        try:
            dst = _safe(out, rel)
        except PipelineError:
            continue  # a tampered manifest never leads outside the folder
        if dst.is_file() or dst.is_symlink():
            dst.unlink()
            removed.append(rel)
            _remove_empty_parents(dst.parent, out)
    _write_manifest(out, Manifest(entries))
    return Published(written, removed)


def _remove_empty_parents(folder: Path, root: Path) -> None:
    """Remove ``folder`` and its parents below ``root`` while they are empty (left by removed products)."""
    root = root.resolve()
    while folder.resolve() != root and folder.resolve().is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def remove_partial_files(staging: Path, out: Path) -> list[Path]:
    """Remove what a killed run left behind: every temporary file and folder in ``staging``, and in ``out``
    the temporary files of the files its manifest lists. Returns what was removed."""
    gone: list[Path] = []
    if staging.is_dir():
        for path in sorted(staging.rglob(".*"), reverse=True):
            if PARTIAL.match(path.name) and not path.is_symlink():
                shutil.rmtree(path) if path.is_dir() else path.unlink()
                gone.append(path)
    manifest = read_manifest(out) if out.is_dir() else None
    if manifest is not None:
        for rel in sorted({*manifest.files, *manifest.pending}):
            target = out / rel
            if not target.parent.is_dir():
                continue
            for path in target.parent.glob(f".{glob.escape(target.stem[:40])}.*.partial{glob.escape(target.suffix)}"):
                m = PARTIAL.match(path.name)
                if m and m.group("stem") == target.stem[:40] and path.is_file() and not path.is_symlink():
                    path.unlink()
                    gone.append(path)
    return gone


def tidy_run(out: Path, raw_dir: Path | None, staging: Path) -> list[Path]:
    """At the start of a run: claim the output folder (:func:`claim`) and remove leftover temporary files
    (:func:`remove_partial_files`); returns what was removed."""
    folder = claim(out, raw_dir)
    return remove_partial_files(staging, folder)
