"""A small Markdown table renderer for asset metadata previews (no extra dependency)."""

from __future__ import annotations

import pandas as pd


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    return str(value).replace("|", "\\|").replace("\n", " ")[:120]


def markdown_table(frame: pd.DataFrame) -> str:
    if frame is None or frame.empty:
        return "_(empty)_"
    cols = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)
