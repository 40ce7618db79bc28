"""Accounts, roles, login and the default-deny access gate."""
