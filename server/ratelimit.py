"""The rate limit of the public routes (the serial check, the QR check, provincial sign-in): one
token bucket per client in PostgreSQL (``rate_buckets``, unlogged), shared by every worker
process and server instance, refilled at ``rate`` per second up to ``capacity``. A refused
request still takes its token (down to -1): a client that keeps hammering stays out. Each route
takes its token in the same statement as its own read (``WITH bucket AS (…)``)."""

from __future__ import annotations

BUCKET = """
INSERT INTO rate_buckets AS b (client, tokens, at) VALUES (%(client)s, %(capacity)s - 1, now())
ON CONFLICT (client) DO UPDATE SET
    tokens = greatest(
        -1, least(%(capacity)s, b.tokens + extract(epoch FROM now() - b.at) * %(rate)s) - 1
    ),
    at = now()
RETURNING tokens
"""


def with_bucket(select: str) -> str:
    """``select`` run after the client's token is taken; ``allowed`` is whether it had one."""
    return (
        f"WITH bucket AS ({BUCKET})\nSELECT (SELECT tokens FROM bucket) >= 0 AS allowed, {select}"
    )


# The bare serial check: the token and the serial's status in one round trip.
VERIFY_SQL = with_bucket("(SELECT status FROM certificates WHERE serial = %(serial)s) AS status")

# A token alone (provincial sign-in).
TOKEN_SQL = with_bucket("1")

# A bucket idle for capacity / rate seconds is full again: forgetting it changes nothing.
PRUNE_SQL = "DELETE FROM rate_buckets WHERE at < now() - make_interval(secs => %(idle)s)"
