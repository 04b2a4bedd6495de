"""The registry: every school, enterprise, platform, project and figure the plan talks about, year by year."""
