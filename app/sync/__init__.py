"""Offline-first sync with the provincial server, one module per concern.

The station never waits for the province: every change is already in the outbox, written in the
change's own transaction (``app.records.changes``). A round (``round``) pushes the outbox oldest
first (``push``) and then pulls the province's feed (``pull``): other stations' keys and revoked
keys for offline QR checks (``keys``), voids, signed catalog versions and the holiday table
(``installs``). ``transport`` is the HTTP client with its retries (exponential back-off with full
jitter, honouring ``Retry-After``); ``enrolment`` registers the station once; ``online`` asks the
province about a serial or its figures; ``state`` keeps the cursor, the last round and the list of
what waits. Every message is a ``app.protocol.models`` class.
"""
