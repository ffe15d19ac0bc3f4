// RefkitMail
