"""Evaluation domain: the harmonised panel and the effects of the register's measures."""

from assets.evaluation.assets import measure_effects, panel
from assets.evaluation.checks import checks

assets = [panel, measure_effects]
__all__ = ["assets", "checks"]
