"""Population domain: Destatis Gemeindeverzeichnis."""

from assets.population.assets import population
from assets.population.checks import checks

assets = [population]
__all__ = ["assets", "checks"]
