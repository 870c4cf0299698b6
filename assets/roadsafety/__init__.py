"""Road-safety domain: the register's sites, network screening of accident sites and the calibration of the site
evaluation."""

from assets.roadsafety.assets import accident_screening, registered_sites, site_calibration
from assets.roadsafety.checks import checks

assets = [registered_sites, accident_screening, site_calibration]
__all__ = ["assets", "checks"]
