"""Quality checks on the register tables."""

from __future__ import annotations

from assets._shared import ags_known_checks, contract_checks, sql_check
from praevention.readers.base import NOT_READ

checks = [
    sql_check(
        asset_name="register_bodies",
        name="files_read",
        blocking=True,
        description="Blocking: every register file was read (one that is damaged, binary or of an unknown layout "
        "would leave its bodies and measures out of every product without a word); lists each with its reason.",
        sql="SELECT source_file, note FROM ingest_log WHERE asset = 'register' AND starts_with(note, ?) ORDER BY 1",
        params=(NOT_READ,),
    ),
    *contract_checks("register_bodies"),
    *contract_checks("register_measures"),
    *ags_known_checks(
        "register_bodies", "register_bodies", "SELECT DISTINCT ags FROM register_bodies WHERE length(ags) IN (5, 8)"
    ),
    sql_check(
        asset_name="register_measures",
        name="bodies_exist",
        blocking=True,
        description="Blocking: every measure belongs to a body in register_bodies.",
        sql="SELECT measure_id, body_id FROM register_measures WHERE body_id NOT IN (SELECT body_id FROM register_bodies)",
        additional_deps=["register_bodies"],
    ),
]
