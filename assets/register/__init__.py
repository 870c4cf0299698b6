"""Register domain: prevention bodies and their measures."""

from assets.register.assets import register
from assets.register.checks import checks

assets = [register]
__all__ = ["assets", "checks"]
