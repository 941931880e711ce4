"""What the materials a kind lists mean at the counter.

A catalog lists a kind's materials as the source words them. Some apply only to some requests —
"代办的：…" when someone applies for another, "个人：…" or "单位：…" by who applies — and never
stop a certificate for a request they do not concern. The applicant's own identity card is
shown by reading it: a card the reader has just read is that material seen, not assumed.
Everything else the clerk ticks as each paper is seen (the window starts with none ticked)."""

from __future__ import annotations

CONDITIONAL = ("代办的：", "个人：", "单位：")  # the catalogs' words for "only when …"
OWN_CARD = (
    "本人居民身份证",
    "申请人居民身份证",
)  # the applicant's card (or a choice that includes it)


def conditional(material: str) -> bool:
    """Whether ``material`` applies only to some requests (never required of every applicant)."""
    return material.startswith(CONDITIONAL)


def shown_by_card(material: str) -> bool:
    """Whether reading the applicant's identity card shows ``material``."""
    return not conditional(material) and material.startswith(OWN_CARD)


def missing(materials: list[str], seen: set[str]) -> list[str]:
    """The materials every applicant must bring that were not seen, in the catalog's order."""
    return [m for m in materials if not conditional(m) and m not in seen]
