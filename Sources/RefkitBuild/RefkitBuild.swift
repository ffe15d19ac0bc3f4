// RefkitBuild
