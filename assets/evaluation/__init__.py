"""Evaluation domain: the harmonised panel, the effects of the register's measures and their calibration."""

from assets.evaluation.assets import calibration, measure_effects, panel
from assets.evaluation.checks import checks

assets = [panel, measure_effects, calibration]
__all__ = ["assets", "checks"]
