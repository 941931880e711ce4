"""certdesk's read-only resources — catalogs, fonts with their licences, translations — as package
data, so that a wheel or a non-editable install carries them. ``app.paths`` finds them."""
