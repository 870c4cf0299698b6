"""Accident domain: Unfallatlas points and aggregated accident statistics."""

from assets.accidents.assets import accident_counts, accident_points
from assets.accidents.checks import checks

assets = [accident_points, accident_counts]
__all__ = ["assets", "checks"]
