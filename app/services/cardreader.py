"""Reading a resident identity card at the counter.

The GUI talks to a ``CardReader``. ``SimulatedReader`` serves tests and the demo mode (cards
given to it in advance); a real reader (the common USB readers expose a vendor SDK) is added as
another class with the same ``read()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from app.errors import CertdeskError
from app.policy.identity import clean_name, parse_id_number


class CardReaderError(CertdeskError):
    code = "card_reader"


@dataclass(frozen=True, slots=True)
class CardData:
    name: str
    id_number: str
    sex: str
    ethnicity: str
    birth_date: str
    address: str


class CardReader(Protocol):
    def read(self) -> CardData:
        """The card on the reader, or ``CardReaderError`` saying why not."""
        ...


class SimulatedReader:
    """Hands out the given cards one after another (then says no card is on the reader)."""

    def __init__(self, cards: Iterable[CardData]) -> None:
        self.cards = list(cards)

    def read(self) -> CardData:
        if not self.cards:
            raise CardReaderError("读卡器上没有身份证，请放好后重试", field="card")
        card = self.cards.pop(0)
        # a real reader's data is checked like typed data
        parse_id_number(card.id_number)
        clean_name(card.name)
        return card


DEMO_CARD = CardData(
    "王建华", "220102195506200010", "男", "汉", "1955-06-20", "吉林省长春市南关区民康路88号"
)
