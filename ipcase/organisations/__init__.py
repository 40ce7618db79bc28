"""Organisations: the IP office, the mediation centre, workstations, superior and other-region offices."""
