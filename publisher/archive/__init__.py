"""Archive: publish checked reports with their snapshot and manifest; index, verify, rebuild."""
