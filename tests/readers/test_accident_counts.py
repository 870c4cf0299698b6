"""Regionalstatistik, GENESIS and INKAR readers: real files against the published figures, small fixtures."""

from __future__ import annotations

import pytest

from praevention.errors import SourceFormatError
from praevention.readers.accident_counts import read_genesis, read_inkar, read_regionalstatistik


def value(frame, **where):
    sel = frame
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, sel
    return sel["value"].iloc[0]


def test_regionalstatistik_real(shared_data):
    folder = shared_data / "accidents" / "regionalstatistik_46241-01-03" / "original"
    kreise = read_regionalstatistik(folder / "46241-01-03-4_00.csv")
    assert kreise.rows_read == 11046 and len(kreise.rejects) == 0  # 526 units x 21 years
    f = kreise.frame
    # PROVENANCE-geo-accidents.md §5.0/§5.2: SA 2015 and Kreis samples
    assert value(f, ags="15", year=2015, measure="unfaelle_personenschaden") == 8213
    assert value(f, ags="15", year=2015, measure="unfaelle_ohne_uebrige_sachschaden") == 11095
    assert value(f, ags="15002", year=2015, measure="unfaelle_personenschaden") == 923
    assert (
        value(f, ags="15001", year=2015, measure="getoetete") + value(f, ags="15001", year=2015, measure="verletzte")
        == 326
    )
    # the 'berauschende Mittel' series changed its definition in 2008
    assert value(f, ags="15", year=2007, measure="unfaelle_sachschaden_alkohol_bis_2007") > 0
    assert f[(f["measure"] == "unfaelle_sachschaden_berauscht")]["year"].min() == 2008
    gemeinden = read_regionalstatistik(folder / "46241-01-03-5_00.csv")
    g = gemeinden.frame
    assert gemeinden.rows_read == 14493
    assert gemeinden.rows_loaded + len(gemeinden.rejects) == gemeinden.rows_read
    # a Gemeinde listed twice (former and current Gemeindeverband): the empty listing is quarantined
    assert (gemeinden.rejects["reason"].str.contains("listed again without figures")).all()
    assert not g.duplicated(["level", "ags", "year", "measure"]).any()
    sa = g[
        (g["level"] == "Gemeinde")
        & g["ags"].str.startswith("15")
        & g["flag"].isna()
        & (g["measure"] == "unfaelle_personenschaden")
    ]
    assert (
        sa["value"].sum()
        + value(g, ags="15001", measure="unfaelle_personenschaden", level="Kreis")
        + value(g, ags="15002", measure="unfaelle_personenschaden", level="Kreis")
        + value(g, ags="15003", measure="unfaelle_personenschaden", level="Kreis")
        == 8213
    )


def test_genesis_real(shared_data):
    folder = shared_data / "accidents" / "genesis_46241_laender_destatis" / "original"
    yearly = read_genesis(folder / "46241-0023_de.csv").frame
    killed = yearly[(yearly["ags"] == "15") & (yearly["measure"] == "getoetete") & (yearly["breakdown"] == "")]
    assert killed.sort_values("year")["value"].tolist() == [145, 133, 132, 140, 137, 123, 113, 152, 130, 111]
    assert value(yearly, ags="15", year=2023, measure="verunglueckte", breakdown="") == 9909
    insgesamt = read_genesis(folder / "46241-0020_de.csv").frame
    assert value(insgesamt, ags="15", year=2015, measure="unfaelle_personenschaden", breakdown="") == 8213
    assert value(insgesamt, ags="15", year=2015, measure="unfaelle_polizeilich_erfasst", breakdown="") == 74376
    monthly = read_genesis(folder / "46241-0021_de.csv").frame
    sa = monthly[
        (monthly["ags"] == "15") & (monthly["measure"] == "unfaelle_personenschaden") & (monthly["breakdown"] == "")
    ]
    assert sa.sort_values(["year", "month"])["value"].tolist() == [
        530,
        501,
        549,
        693,
        773,
        758,
        736,
        870,
        754,
        677,
        657,
        581,
        428,
        377,
    ]
    # months after 2026-02 are not published: not loaded as zeros
    assert monthly[(monthly["year"] == 2026)]["month"].max() == 2


def test_inkar_real(shared_data):
    folder = shared_data / "accidents" / "inkar_2023_verunglueckte"
    g = read_inkar(next(folder.glob("*gemeinden*"))).frame
    counts = g[g["measure"] == "verunglueckte"]
    assert len(counts) == 218 and counts["value"].sum() == 9909  # = GENESIS 46241-0023, SA 2023


GENESIS_FIXTURE = """\ufeffTabelle: 46241-0024
Verunglückte: Bundesländer, Monate, Ortslage, Schwere der;;;;;
Verletzung;;;;;
Statistik der Straßenverkehrsunfälle;;;;;
Verunglückte (Anzahl);;;;;
;;;2025;2025;2025
;;;Januar;Februar;März
Sachsen-Anhalt;Insgesamt;Getötete;-;3;-
Sachsen-Anhalt;Insgesamt;Insgesamt;700;.;-
Atlantis;Insgesamt;Insgesamt;1;2;-
__________
© Statistisches Bundesamt (Destatis), 2026
"""


def test_genesis_fixture_zero_secret_unpublished_and_unknown_land(tmp_path):
    path = tmp_path / "46241-0024_de.csv"
    path.write_text(GENESIS_FIXTURE, encoding="utf-8")
    r = read_genesis(path)
    f = r.frame
    assert (
        value(f, month=1, measure="getoetete") == 0
        and f[(f["month"] == 1) & (f["measure"] == "getoetete")]["flag"].iloc[0] == "-"
    )
    assert pd_isna(value(f, month=2, measure="verunglueckte"))
    assert 3 not in set(f["month"])  # March is '-' everywhere: not yet published
    assert r.rejects["reason"].iloc[0] == "unknown Land name 'Atlantis'" and r.rejects["line"].iloc[0] == 10


def pd_isna(v):
    import pandas as pd

    return pd.isna(v)


def test_not_a_table(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Tabelle: 12345\n")
    with pytest.raises(SourceFormatError):
        read_genesis(path)
    with pytest.raises(SourceFormatError):
        read_regionalstatistik(path)
