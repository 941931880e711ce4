"""The supervision policy of the seed: what is flagged and how the citizens' savings are counted.

The seed orders supervision of 应开不开 (a certificate the station should issue and did not) and
不该开滥开 (one it should not issue and did), and counts the reform's savings as two trips between
the station and the requesting unit at ¥10 each for every certificate no longer needed. The
station (``app.services.supervision``) and the province (``server.supervision``) both count by
these rules.
"""

from __future__ import annotations

TRIPS_SAVED = 2  # a certificate not needed saves the citizen two trips …
FARE_YUAN = 10  # … of ¥10 each
REPRINT_THRESHOLD = 2  # more printed copies than this is worth a look

FLAG_TITLES = {
    "issue_not_issued": "应开不开",
    "abolished_issued": "不该开滥开",
    "reprints": "补打次数过多",
    "voids": "作废",
    "clock": "时钟偏差",
    "chain": "审计链不衔接",
}
CLOCK_TOLERANCE_SECONDS = 600  # a station's clock this far from the province's is flagged


def clock_detail(offset_seconds: int) -> str:
    """How a station's clock stands against the province's, in words."""
    minutes = round(abs(offset_seconds) / 60)
    return f"本机时钟比省级服务器{'快' if offset_seconds > 0 else '慢'} {minutes} 分钟"


# outcome names as a supervision table's column shows them (the catalog's own are longer)
OUTCOME_SHORT_NAMES = {"abolished": "不予出具", "exchange": "信息交换", "issue": "出具"}


def no_certificate_needed(by_outcome: dict[str, int]) -> int:
    """Requests the reform spared a certificate: abolished ones and those settled by exchange."""
    return by_outcome.get("abolished", 0) + by_outcome.get("exchange", 0)
