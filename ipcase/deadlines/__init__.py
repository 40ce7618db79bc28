"""Statutory deadline engine: working-day calendar, rules with legal basis, deadlines on cases (issue 3)."""
