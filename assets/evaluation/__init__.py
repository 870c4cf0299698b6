"""Evaluation domain: the harmonised panel, the effects of the register's measures, the register's treated
units and the calibration."""

from assets.evaluation.assets import calibration, measure_effects, panel, treated_units
from assets.evaluation.checks import checks

assets = [panel, measure_effects, treated_units, calibration]
__all__ = ["assets", "checks"]
