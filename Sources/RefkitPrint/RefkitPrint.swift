// RefkitPrint
