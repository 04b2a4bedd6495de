"""Reports for a bureau meeting: the year's fiscal cost and the targets, as xlsx workbooks and one PDF.

Every number comes from ``zhijiao.simulation.cost`` and ``zhijiao.monitoring.targets``; this package
only selects (a county officer's county), arranges and formats them.
"""
