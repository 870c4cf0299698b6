"""Local safety surveys: the standard questionnaire, the import of answers and published shares, and the
design-based estimates of the sense of safety (Sicherheitsempfinden) per Gemeinde and wave."""
