"""Road-safety domain: network screening of accident sites and the calibration of the site evaluation."""

from assets.roadsafety.assets import accident_screening, site_calibration
from assets.roadsafety.checks import checks

assets = [accident_screening, site_calibration]
__all__ = ["assets", "checks"]
