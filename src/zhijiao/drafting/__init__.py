"""Drafting the next plan: versions of the text by stage, meetings, consultation rounds sent to units,
their feedback items and dispositions, and the statistics of the drafting explanation (起草说明)."""
