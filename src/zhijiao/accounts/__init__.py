"""Accounts, roles and sessions: who may see and do what, and for which county, school or enterprise."""
