"""Raw files are found by content and name: the shared folder's names and the official download names."""

from __future__ import annotations

import shutil

from praevention.discovery import discover


def test_shared_folder(shared_data):
    found = discover(shared_data)
    assert len(found.of("pks_t01")) == 11
    assert len(found.of("gv100ad")) == 6
    assert [p.name for p in found.of("unfallatlas_geojson")] == ["Magdeburg_Unfallatlas.geojson"]
    assert len(found.of("genesis")) == 5 and len(found.of("regionalstatistik")) == 2 and len(found.of("inkar")) == 2
    assert len(found.of("boundaries")) == 6 and len(found.of("kiss_md")) == 5 and len(found.of("register")) == 2
    # derived twins are recognised and not read
    assert any("derived" in p.name for p in found.derived)
    assert not any(p.suffix == ".md" for k in found.files for p in found.files[k])


def test_official_download_names(tmp_path, shared_data):
    """`praevention fetch` stores files under their official names in year folders."""
    src = shared_data / "crime" / "bka_pks_t01_kreise"
    (tmp_path / "crime" / "2019").mkdir(parents=True)
    (tmp_path / "crime" / "2021").mkdir(parents=True)
    shutil.copy(
        src / "2019_KR-F-01-T01-Kreise-Faelle-HZ_csv.csv",
        tmp_path / "crime" / "2019" / "KR-F-01-T01-Kreise-Faelle-HZ_csv.csv",
    )
    shutil.copy(
        src / "2021_KR-F-01-T01-Kreise-Faelle-HZ_xls.xlsx",
        tmp_path / "crime" / "2021" / "KR-F-01-T01-Kreise-Faelle-HZ_xls.xlsx",
    )
    shutil.copy(shared_data / "population" / "gv100ad" / "GV100AD_301123_ST.txt", tmp_path / "GV100AD_301123.txt")
    (tmp_path / "notes.txt").write_text("hello")
    found = discover(tmp_path)
    assert [p.parent.name for p in found.of("pks_t01")] == ["2019", "2021"]
    assert len(found.of("gv100ad")) == 1
    assert [p.name for p in found.unrecognised] == ["notes.txt"]
