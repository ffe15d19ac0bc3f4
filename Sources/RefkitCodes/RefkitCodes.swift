// RefkitCodes
