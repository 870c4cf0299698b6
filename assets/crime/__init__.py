"""Crime domain: PKS Kreis table, the LKA's PKS by Tatortgemeinde and Magdeburg's KISS-MD tables."""

from assets.crime.assets import crime_cases, crime_city_stats, crime_gemeinde_cases
from assets.crime.checks import checks

assets = [crime_cases, crime_gemeinde_cases, crime_city_stats]
__all__ = ["assets", "checks"]
