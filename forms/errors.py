"""Errors the forms layer reports: a value that cannot be printed as it is."""

from __future__ import annotations


class FormError(ValueError):
    """Nothing is printed: ``message`` (Chinese) says why and ``field`` names the field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
