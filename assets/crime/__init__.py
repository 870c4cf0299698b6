"""Crime domain: PKS Kreis table and Magdeburg's KISS-MD tables."""

from assets.crime.assets import crime_cases, crime_city_stats
from assets.crime.checks import checks

assets = [crime_cases, crime_city_stats]
__all__ = ["assets", "checks"]
