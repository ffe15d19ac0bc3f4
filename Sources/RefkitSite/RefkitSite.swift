// RefkitSite
