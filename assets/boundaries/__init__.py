"""Boundaries domain: BKG VG250 and VG5000."""

from assets.boundaries.assets import boundaries
from assets.boundaries.checks import checks

assets = [boundaries]
__all__ = ["assets", "checks"]
