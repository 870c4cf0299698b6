"""The literature yardstick: what systematic reviews found for a type of measure (``data/literature.yaml``).

A review is matched to a measure by its pooled type (:mod:`praevention.evaluation.pooling`), its mechanism
class and, where the review names them, its outcomes: a senior fraud-advice project is a
"Präventionsprojekt" like a youth-development programme, but a review of youth programmes' effect on
violence does not speak to it (:func:`review_for`). Without a matching review the outputs say so.

Review effects are effects where a measure acts. Before a local result is read against one, the review's
reduction is spread over the unit the evaluation measured (:func:`at_level`): a 16 % reduction in a town
that holds a tenth of its Kreis's cases is a 1.6 % reduction in the Kreis.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

LITERATURE = Path(__file__).resolve().parents[2] / "data" / "literature.yaml"


@cache
def reviews() -> list[dict]:
    """The systematic reviews of :data:`LITERATURE`."""
    return yaml.safe_load(LITERATURE.read_text(encoding="utf-8"))["reviews"]


def review_for(
    kind: str, mechanism: str, indicators: list[str] | tuple[str, ...], texts: list[str] | tuple[str, ...] = ()
) -> dict | None:
    """The first review whose ``applies_to`` names the type and the mechanism, where it lists indicators one
    of ``indicators``, and where it names its populations one of ``texts`` (the measures' titles and "Für wen
    und wo"), or None."""
    for review in reviews():
        scope = review["applies_to"]
        if kind not in scope.get("types", []) or mechanism not in scope.get("mechanisms", [mechanism]):
            continue
        if "indicators" in scope and not set(indicators) & set(scope["indicators"]):
            continue
        if "populations" in scope and not any(re.search(scope["populations"], t.lower()) for t in texts):
            continue
        return review
    return None


def at_level(review_ratio: float, share: float) -> float:
    """A review's rate ratio where a measure acts, spread over a unit of which the area holds ``share``."""
    return 1 - share * (1 - review_ratio)
