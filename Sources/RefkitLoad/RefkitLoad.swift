// RefkitLoad
