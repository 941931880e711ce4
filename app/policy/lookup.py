"""Finding a kind from what a citizen or clerk says or types.

Order: an exact id, name or sourced alias (with or without a trailing 证明) always wins; then full
pinyin and pinyin initials ("qsgx" finds 亲属关系证明). Everything else only *proposes*: an
inferred alias, a pinyin prefix, a phrasing from the catalog ("证明我奶奶是我奶奶" → 亲属关系证明)
and a tolerant match for near misses give status ``tolerant`` (one proposal first) or
``ambiguous``, and the decision engine asks the clerk to confirm. Never a guess.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from app import paths
from app.policy.textkeys import is_latin, lookup_keys, normalize, strip_suffix

if TYPE_CHECKING:
    from app.policy.catalog import Catalog

MatchHow = Literal["exact", "pinyin", "pinyin_prefix", "tolerant", "inferred_alias", "phrasing"]
PROPOSALS: frozenset[str] = frozenset({"pinyin_prefix", "tolerant", "inferred_alias", "phrasing"})
Status = Literal["exact", "tolerant", "ambiguous", "none"]

# Tolerant-match thresholds (0-100, rapidfuzz Indel ratio).
ACCEPT = 75.0  # a single kind this close is taken as a near miss
MARGIN = 10.0  # ... when the next kind is at least this much further away
CANDIDATE = 50.0  # anything this close is offered as a candidate
MAX_CANDIDATES = 6
MIN_TOLERANT_LENGTH = 3  # characters (without 证明) before a near miss is taken alone


@dataclass(frozen=True, slots=True)
class Candidate:
    kind_id: str
    name: str
    outcome: str
    score: float
    matched: str
    how: MatchHow


@dataclass(frozen=True, slots=True)
class LookupResult:
    status: Status
    query: str
    kind_id: str | None = None
    how: MatchHow | None = None
    matched: str | None = None
    candidates: tuple[Candidate, ...] = ()


class KindIndex:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        # (display text, normalized key, kind id) for every id, name and alias
        self.texts: list[tuple[str, str, str]] = []
        for kind in catalog:
            for text in (kind.name, *kind.alias_texts):
                self.texts.append((text, normalize(text), kind.id))
        self.soft_texts = {text for _kind, text in catalog.soft_keys.values()}
        self.phrasings = [
            (re.compile(p.expand(pattern)), p.kind)
            for p in catalog.data.phrasings
            for pattern in p.patterns
        ]
        self._pinyin: dict[str, list[tuple[str, str, str]]] | None = None

    # ------------------------------------------------------------------ public

    def find(self, query: str) -> LookupResult:
        query = query.strip()
        if not query:
            return LookupResult(status="none", query=query)
        for key in sorted(lookup_keys(query), key=len, reverse=True):
            kind_id = self.catalog.keys.get(key)
            if kind_id is not None:
                return LookupResult("exact", query, kind_id, "exact", query)
        key = normalize(query)
        if is_latin(key):
            found = self._find_pinyin(query, key)
            if found is not None:
                return found
        for soft in sorted(lookup_keys(query), key=len, reverse=True):
            if soft in self.catalog.soft_keys:
                kind_id, text = self.catalog.soft_keys[soft]
                return self._proposal(query, key, kind_id, text, "inferred_alias")
        for pattern, kind_id in self.phrasings:
            if pattern.search(key):
                return self._proposal(query, key, kind_id, pattern.pattern, "phrasing")
        return self._tolerant(query, key)

    def _proposal(
        self, query: str, key: str, kind_id: str, matched: str, how: MatchHow
    ) -> LookupResult:
        """One kind proposed (never decided), the closest others after it."""
        first = self._candidate(kind_id, 100.0, matched, how)
        rest = [c for c in self._scored(key) if c.kind_id != kind_id]
        candidates = (first, *rest)[:MAX_CANDIDATES]
        return LookupResult("tolerant", query, kind_id, how, matched, candidates)

    def candidates(self, query: str, limit: int = MAX_CANDIDATES) -> tuple[Candidate, ...]:
        """Live candidates as the clerk types: the exact hit first, then the closest kinds."""
        result = self.find(query)
        if result.kind_id is not None:
            kind = self.catalog.kind(result.kind_id)
            best = Candidate(
                kind.id, kind.name, kind.outcome, 100.0, result.matched or "", result.how or "exact"
            )
            rest = [c for c in self._scored(normalize(query)) if c.kind_id != kind.id]
            # what a non-partner is served as, when the link is only inferred: the clerk is asked
            # to confirm it, so it is offered right after the exchange kind
            other = kind.for_others
            linked = other.kind if other is not None and not other.decisive else None
            if linked is not None:
                rest = [c for c in rest if c.kind_id != linked]
                target = self.catalog.kind(linked)
                rest.insert(
                    0,
                    Candidate(
                        target.id, target.name, target.outcome, 100.0, target.name, "inferred_alias"
                    ),
                )
            return (best, *rest)[:limit]
        return result.candidates[:limit]

    # ------------------------------------------------------------------ pinyin

    def _find_pinyin(self, query: str, key: str) -> LookupResult | None:
        table = self.pinyin_table()
        exact: dict[str, str] = {}
        for text, kind_id, _ in table.get(key, []):  # a name or sourced alias before the rest
            if kind_id not in exact or exact[kind_id] in self.soft_texts:
                exact[kind_id] = text
        if len(exact) == 1:
            kind_id, text = next(iter(exact.items()))
            if text in self.soft_texts:  # the pinyin of an inferred alias only proposes
                return self._proposal(query, key, kind_id, text, "inferred_alias")
            return LookupResult("exact", query, kind_id, "pinyin", text)
        if exact:
            return LookupResult("ambiguous", query, candidates=self._rank(exact, 100.0, "pinyin"))
        if len(key) < 2:
            return None
        prefixed: dict[str, tuple[int, str]] = {}
        for pinyin_key, entries in table.items():
            if pinyin_key.startswith(key):
                for text, kind_id, _ in entries:
                    if kind_id not in prefixed or len(pinyin_key) < prefixed[kind_id][0]:
                        prefixed[kind_id] = (len(pinyin_key), text)
        if not prefixed:
            return None
        ranked = sorted(prefixed.items(), key=lambda item: (item[1][0], item[0]))
        candidates = tuple(
            self._candidate(kind_id, 100.0 * len(key) / length, text, "pinyin_prefix")
            for kind_id, (length, text) in ranked[:MAX_CANDIDATES]
        )
        if len(ranked) == 1:
            only = candidates[0]
            return LookupResult(
                "tolerant", query, only.kind_id, "pinyin_prefix", only.matched, candidates
            )
        return LookupResult("ambiguous", query, candidates=candidates)

    def pinyin_table(self) -> dict[str, list[tuple[str, str, str]]]:
        """Pinyin key -> [(text, kind id, style)]: full pinyin and initials of every name/alias.

        Computing it needs pypinyin (a third of a second to import), so it is built on the first
        pinyin query and cached on disk per catalog digest.
        """
        if self._pinyin is None:
            cache = _cache_file(self.catalog.digest)
            known = {(text, kind_id) for text, _key, kind_id in self.texts}
            table = _read_cache(cache, known)
            if table is None:
                table = self._build_pinyin()
                _write_cache(cache, table)
            self._pinyin = table
        return self._pinyin

    def _build_pinyin(self) -> dict[str, list[tuple[str, str, str]]]:
        from pypinyin import Style, lazy_pinyin

        table: dict[str, list[tuple[str, str, str]]] = {}
        for text, key, kind_id in self.texts:
            for variant in {key, strip_suffix(key)}:
                syllables = [s.lower() for s in lazy_pinyin(variant, errors="default")]
                initials = [s.lower() for s in lazy_pinyin(variant, style=Style.FIRST_LETTER)]
                for style, joined in (
                    ("full", "".join(syllables)),
                    ("initials", "".join(initials)),
                ):
                    joined = normalize(joined)
                    entry = (text, kind_id, style)
                    if joined and entry not in table.setdefault(joined, []):
                        table[joined].append(entry)
        return table

    # ------------------------------------------------------------------ tolerant

    def _scored(self, key: str) -> list[Candidate]:
        from rapidfuzz.fuzz import ratio

        if not key:
            return []
        bare = strip_suffix(key)
        best: dict[str, tuple[float, str]] = {}
        for text, text_key, kind_id in self.texts:
            # compare without the trailing 证明 that almost every name shares
            score = ratio(bare, strip_suffix(text_key))
            if kind_id not in best or score > best[kind_id][0]:
                best[kind_id] = (score, text)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        return [
            self._candidate(kind_id, round(score, 1), text, "tolerant")
            for kind_id, (score, text) in ranked
            if score >= CANDIDATE
        ][:MAX_CANDIDATES]

    def _tolerant(self, query: str, key: str) -> LookupResult:
        scored = self._scored(key)
        if not scored:
            return LookupResult("none", query)
        top = scored[0]
        runner_up = scored[1].score if len(scored) > 1 else 0.0
        # two characters are too few to call a near miss: 出生 is 出生地 as much as 出生日期
        long_enough = len(strip_suffix(key)) >= MIN_TOLERANT_LENGTH
        if long_enough and top.score >= ACCEPT and top.score - runner_up >= MARGIN:
            return LookupResult(
                "tolerant", query, top.kind_id, "tolerant", top.matched, tuple(scored)
            )
        return LookupResult("ambiguous", query, candidates=tuple(scored))

    # ------------------------------------------------------------------ helpers

    def _candidate(self, kind_id: str, score: float, matched: str, how: MatchHow) -> Candidate:
        kind = self.catalog.kind(kind_id)
        return Candidate(kind_id, kind.name, kind.outcome, score, matched, how)

    def _rank(self, found: dict[str, str], score: float, how: MatchHow) -> tuple[Candidate, ...]:
        return tuple(self._candidate(k, score, t, how) for k, t in sorted(found.items()))


def _cache_file(digest: str) -> Path | None:
    base = paths.cache_dir()
    return base / f"pinyin-{digest[:16]}.json" if base else None


def _read_cache(
    path: Path | None, known: set[tuple[str, str]]
) -> dict[str, list[tuple[str, str, str]]] | None:
    """The pinyin table from the cache: plain JSON whose every entry names a text and kind of
    this catalog, else None (a damaged or planted cache is rebuilt)."""
    if path is None or not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        table = {str(k): [(e[0], e[1], e[2]) for e in v] for k, v in raw.items()}
    except (OSError, ValueError, TypeError, IndexError, AttributeError):
        return None
    entries = (entry for listed in table.values() for entry in listed)
    if all(
        (text, kind) in known and style in ("full", "initials") for text, kind, style in entries
    ):
        return table
    return None


def _write_cache(path: Path | None, table: dict[str, list[tuple[str, str, str]]]) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # the cache is an optimisation only


def route_search(catalog: Catalog, text: str) -> Literal["kind", "certificate"]:
    """What the main search field was given: a certificate to find (serial, identity number,
    a name) or a kind of certificate being asked for (it starts the decision wizard)."""
    query = text.strip()
    if "-" in query or (query.isascii() and any(ch.isdigit() for ch in query)):
        return "certificate"
    if query.endswith("证明") or catalog.lookup.find(query).status != "none":
        return "kind"
    return "certificate"
