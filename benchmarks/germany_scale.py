"""Germany-scale Unfallatlas input: 9 yearly zips (2016–2024) of about 270,000 records each.

The real BKA PKS (all 400 Kreise), GV100AD (all ~11,000 Gemeinden) and VG250 Germany files in
``../shared/data`` are already Germany-wide; the Unfallatlas extract there covers Magdeburg only, so the
national volume is generated here, seeded, in the official zip/CSV layout of 2020 onwards.

    uv run python benchmarks/germany_scale.py --out benchmarks/out/germany [--per-year 270000]
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from pyproj import Transformer

YEARS = range(2016, 2025)
HEADER = (
    "OBJECTID;UIDENTSTLAE;ULAND;UREGBEZ;UKREIS;UGEMEINDE;UJAHR;UMONAT;USTUNDE;UWOCHENTAG;UKATEGORIE;UART;UTYP1;"
    "ULICHTVERH;IstRad;IstPKW;IstFuss;IstKrad;IstGkfz;IstSonstige;STRZUSTAND;LINREFX;LINREFY;XGCSWGS84;YGCSWGS84"
)


def gemeinde_keys(rng: np.random.Generator, n_kreise: int = 400, n_gemeinden: int = 11_000) -> np.ndarray:
    """About 11,000 Gemeinde keys in about 400 Kreise spread over the 16 Länder (fictional numbering)."""
    land = rng.integers(1, 17, n_kreise)
    kreis = np.arange(n_kreise) % 99 + 1
    per = rng.multinomial(n_gemeinden - n_kreise, np.full(n_kreise, 1 / n_kreise)) + 1
    keys = [f"{land[k]:02d}0{kreis[k]:02d}{g + 1:03d}" for k in range(n_kreise) for g in range(per[k])]
    return np.array(keys)


def write_year(year: int, n: int, keys: np.ndarray, folder: Path, rng: np.random.Generator) -> Path:
    ags = keys[rng.integers(0, len(keys), n)]
    x = rng.uniform(300_000, 900_000, n)
    y = rng.uniform(5_300_000, 6_050_000, n)
    lon, lat = Transformer.from_crs(25832, 4326, always_xy=True).transform(x, y)
    flags = rng.random((n, 6)) < [0.25, 0.8, 0.1, 0.08, 0.05, 0.06]
    frame = pd.DataFrame(
        {
            "OBJECTID": np.arange(1, n + 1),
            "UIDENTSTLAE": [f"{a[:2]}{year % 100:02d}{i:010d}" for i, a in enumerate(ags)],
            "ULAND": [a[:2] for a in ags],
            "UREGBEZ": [a[2] for a in ags],
            "UKREIS": [a[3:5] for a in ags],
            "UGEMEINDE": [a[5:8] for a in ags],
            "UJAHR": year,
            "UMONAT": rng.integers(1, 13, n),
            "USTUNDE": rng.integers(0, 24, n),
            "UWOCHENTAG": rng.integers(1, 8, n),
            "UKATEGORIE": rng.choice([1, 2, 3], n, p=[0.015, 0.2, 0.785]),
            "UART": rng.integers(0, 10, n),
            "UTYP1": rng.integers(1, 8, n),
            "ULICHTVERH": rng.choice([0, 1, 2], n, p=[0.7, 0.1, 0.2]),
            **{
                c: flags[:, i].astype(int)
                for i, c in enumerate(["IstRad", "IstPKW", "IstFuss", "IstKrad", "IstGkfz", "IstSonstige"])
            },
            "STRZUSTAND": rng.choice([0, 1, 2], n, p=[0.7, 0.25, 0.05]),
            "x": x,
            "y": y,
            "lon": lon,
            "lat": lat,
        }
    )
    csv = folder / f"Unfallorte{year}_LinRef.csv"
    con = duckdb.connect()
    con.register("f", frame)
    cols = ", ".join(f'"{c}"' for c in HEADER.split(";")[:21])
    dec = ", ".join(
        f"replace(printf('%.{d}f', {c}), '.', ',')" for c, d in (("x", 2), ("y", 2), ("lon", 9), ("lat", 9))
    )
    con.execute(f"COPY (SELECT {cols}, {dec} FROM f) TO '{csv}' (DELIMITER ';', HEADER false, QUOTE '')")
    con.close()
    body = csv.read_bytes()
    path = folder / f"Unfallorte{year}_EPSG25832_CSV.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(f"csv/{csv.name}", (HEADER + "\n").encode() + body)
    csv.unlink()
    return path


def generate(out: Path, per_year: int = 270_000, seed: int = 20261125) -> list[Path]:
    """The zips in ``out/unfallatlas`` (reused when present with the same size parameters)."""
    folder = out / "unfallatlas"
    stamp = folder / f".generated-{per_year}-{seed}"
    if stamp.exists():
        return sorted(folder.glob("*.zip"))
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    keys = gemeinde_keys(rng)
    paths = [write_year(y, per_year, keys, folder, rng) for y in YEARS]
    stamp.write_text("")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/germany"))
    parser.add_argument("--per-year", type=int, default=270_000)
    args = parser.parse_args()
    paths = generate(args.out, args.per_year)
    print(f"{len(paths)} zips, {args.per_year * len(paths):,} records in {args.out / 'unfallatlas'}")


if __name__ == "__main__":
    main()
