// RefkitQR
