"""Quality checks on the register tables."""

from __future__ import annotations

from assets._shared import ags_known_checks, contract_checks, sql_check

checks = [
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
