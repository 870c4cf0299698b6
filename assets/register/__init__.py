"""Register domain: prevention bodies and their measures."""

from assets.register.assets import register
from assets.register.checks import checks
from assets.register.sensors import register_changed

assets = [register]
sensors = [register_changed]
__all__ = ["assets", "checks", "sensors"]
