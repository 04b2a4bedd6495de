"""Monitoring: the plan's targets T1–T11 and the progress toward each, by county and year."""
