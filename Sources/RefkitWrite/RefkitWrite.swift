// RefkitWrite
