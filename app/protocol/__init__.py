"""What crosses the wire between a station and the province, shared by ``app.sync`` and
``server``."""
