"""The public portal for rights holders and respondents (issue 6)."""
