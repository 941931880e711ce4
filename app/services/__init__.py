"""One module per area of user operations. Each service is one transaction and returns plain
frozen dataclasses, never ORM rows; the CLI and the GUI call the same functions."""
