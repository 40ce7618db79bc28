"""The four rapid-protection channels. Importing this package registers each with the case file
(:mod:`ipcase.cases.registry`); the app factory imports it before anything looks a channel up."""

from ipcase.channels import adjudication, injunctions, mediation, referrals, stations

__all__ = ["adjudication", "injunctions", "mediation", "referrals", "stations"]
