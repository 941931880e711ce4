"""certdesk: the counter application for police stations that decides, prints and keeps every
certificate request. This package is the domain core; it never imports Qt."""

__version__ = "0.1.0"
