"""Survey domain: local safety surveys (answers, published shares, margins) and the sense of safety per wave."""

from assets.survey.assets import safety_perception, survey_responses
from assets.survey.checks import checks

assets = [survey_responses, safety_perception]
__all__ = ["assets", "checks"]
