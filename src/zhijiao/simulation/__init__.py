"""Fiscal simulation: the plan's cost by payer, article and county, baseline and reform."""
