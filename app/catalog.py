"""The policy catalog: a YAML file validated on load into frozen pydantic models.

A bad file is refused with the file, the line and the reason (in Chinese); ``CatalogStore`` keeps
the last good catalog when a replacement is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app import paths
from app.errors import CatalogError
from app.textkeys import lookup_keys

Outcome = Literal["abolished", "exchange", "issue"]
ReasonClass = Literal["proven_by_id_card", "proven_by_hukou_book", "competent_department",
                      "no_legal_basis"]
Confidence = Literal["confirmed", "seed", "inferred"]
Handling = Literal["on_the_spot", "investigation", "on_the_spot_or_investigation"]
Purpose = Literal["in_province", "out_of_province", "abroad"]

OUTCOMES: tuple[Outcome, ...] = ("abolished", "exchange", "issue")
PURPOSES: tuple[Purpose, ...] = ("in_province", "out_of_province", "abroad")
PURPOSE_NAMES: dict[str, str] = {
    "in_province": "省内使用",
    "out_of_province": "省外使用",
    "abroad": "出国(境)使用",
}
OUTCOME_NAMES: dict[str, str] = {
    "abolished": "已取消，不予出具",
    "exchange": "部门间信息交换",
    "issue": "派出所出具",
}
CONFIDENCE_NAMES: dict[str, str] = {"confirmed": "已证实", "seed": "见于发布词", "inferred": "推断"}
BASE_SECTORS: tuple[str, ...] = (
    "court", "procuratorate", "education", "civil_affairs", "justice", "human_resources",
    "housing", "health", "telecom", "bank", "public_security", "other",
)
DEFAULT_CATALOG = "jilin-2015"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Refer(_Frozen):
    kind: str
    when: str


class Replaces(_Frozen):
    kinds: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


class ForOthersKind(_Frozen):
    kind: str


class ForOthersInline(_Frozen):
    outcome: Literal["abolished"]
    reason_class: ReasonClass
    use_instead: str
    competent_department: str | None = None
    confidence: Confidence
    note: str | None = None


class Kind(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    name: str = Field(min_length=2, max_length=64)
    name_en: str
    group: str
    outcome: Outcome
    aliases: tuple[str, ...] = ()
    police_holds_info: bool
    sources: tuple[str, ...] = ()
    confidence: Confidence
    notes: str | None = None
    special_rules: str | None = None
    # abolished
    reason_class: ReasonClass | None = None
    competent_department: str | None = None
    use_instead: str | None = None
    refer: Refer | None = None
    fallback_kind: str | None = None
    # exchange
    partners: tuple[str, ...] = ()
    partners_unconfirmed: tuple[str, ...] = ()
    information_exchanged: str | None = None
    replaces: Replaces | None = None
    for_others: ForOthersKind | ForOthersInline | None = None
    # issue
    form: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    handling: Handling | None = None
    investigation_deadline_working_days: int | None = Field(default=None, ge=1, le=60)
    eligible_applicants: str | None = None
    issuing_station: str | None = None
    materials: tuple[str, ...] = ()
    validity: str | None = None

    @model_validator(mode="after")
    def _fields_fit_outcome(self) -> Kind:
        if self.outcome == "abolished":
            if self.reason_class is None or not self.use_instead:
                raise ValueError("已取消的证明须写明 reason_class 和 use_instead")
            if (self.reason_class == "competent_department") != bool(self.competent_department):
                raise ValueError(
                    "reason_class 为 competent_department 时须且仅须写明 competent_department"
                )
        elif self.outcome == "exchange":
            if not self.partners or not self.information_exchanged or self.for_others is None:
                raise ValueError(
                    "信息交换的证明须写明 partners、information_exchanged 和 for_others"
                )
        elif self.form is None or self.handling is None:
            raise ValueError("派出所出具的证明须写明 form 和 handling")
        if self.outcome != "issue" and (self.form or self.handling):
            raise ValueError("只有派出所出具的证明才有 form 和 handling")
        return self


class OpenSlot(_Frozen):
    group: str
    note: str
    candidates: tuple[str, ...] = ()
    confidence: Confidence


class Meta(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    authority: str
    title: str
    version: str = Field(min_length=1)
    effective: dt.date
    effective_note: str | None = None
    basis: str
    declared_counts: dict[str, int]
    open_slots: tuple[OpenSlot, ...] = ()


class SpecialCaseRule(_Frozen):
    purposes: tuple[Purpose, ...]
    form: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    basis: str
    confidence: Confidence


class UnknownKindRule(_Frozen):
    reason: str
    use_instead: str
    basis: str
    report_to_superior: bool
    confidence: Confidence


class Rules(_Frozen):
    investigation_deadline_working_days: int = Field(ge=1, le=60)
    exchange_purposes: tuple[Purpose, ...]
    special_case: SpecialCaseRule
    unknown_kind: UnknownKindRule
    reason_texts: dict[ReasonClass, str]


class Source(_Frozen):
    url: str
    supports: str


class CatalogFile(_Frozen):
    schema_version: Literal[1] = Field(alias="schema")
    catalog: Meta
    groups: dict[str, str]
    sectors: dict[str, str]
    rules: Rules
    sources: dict[str, Source]
    kinds: tuple[Kind, ...] = Field(min_length=1)


class Catalog:
    """A validated catalog with its indexes. Immutable once built."""

    def __init__(self, data: CatalogFile, *, path: Path, digest: str) -> None:
        self.data = data
        self.path = path
        self.digest = digest
        self.kinds: dict[str, Kind] = {k.id: k for k in data.kinds}
        # normalized key -> kind id; ids, names and aliases (checked unique on load)
        self.keys: dict[str, str] = {}
        for kind in data.kinds:
            for text in (kind.id, kind.name, *kind.aliases):
                for key in lookup_keys(text):
                    self.keys.setdefault(key, kind.id)

    @property
    def id(self) -> str:
        return self.data.catalog.id

    @property
    def version(self) -> str:
        return self.data.catalog.version

    @property
    def meta(self) -> Meta:
        return self.data.catalog

    @property
    def rules(self) -> Rules:
        return self.data.rules

    @property
    def sectors(self) -> dict[str, str]:
        return self.data.sectors

    def __iter__(self) -> Iterator[Kind]:
        return iter(self.data.kinds)

    def kind(self, kind_id: str) -> Kind:
        return self.kinds[kind_id]

    def listed_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(self.data.groups, 0)
        for kind in self.data.kinds:
            counts[kind.group] += 1
        return counts

    def open_counts(self) -> dict[str, int]:
        """Declared minus listed, per group: kinds the sources leave unidentified."""
        listed = self.listed_counts()
        return {
            group: declared - listed.get(group, 0)
            for group, declared in self.meta.declared_counts.items()
            if declared - listed.get(group, 0) > 0
        }

    @cached_property
    def lookup(self) -> Any:
        from app.lookup import KindIndex

        return KindIndex(self)


# --------------------------------------------------------------------------- loading


def builtin_catalog_path(name: str = DEFAULT_CATALOG) -> Path:
    return paths.catalog_dir() / f"{name}.yaml"


def builtin_catalog_names() -> list[str]:
    return sorted(p.stem for p in paths.catalog_dir().glob("*.yaml"))


def load_catalog(path: str | Path) -> Catalog:
    """Read and validate a catalog file; raise ``CatalogError`` naming file, line and reason."""
    path = Path(path)
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(shown, [(None, f"无法读取文件：{exc.strerror or exc}")]) from exc
    return parse_catalog(raw, file=shown, path=path)


def parse_catalog(raw: bytes, *, file: str, path: Path | None = None) -> Catalog:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(file, [(None, f"文件不是 UTF-8 编码(第 {exc.start} 字节)")]) from exc
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        document = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogError(file, [(line, f"YAML 语法错误：{problem}")]) from exc
    if not isinstance(document, dict):
        raise CatalogError(file, [(1, "文件内容应为一个映射(schema、catalog、kinds …)")])
    try:
        data = CatalogFile.model_validate(document)
    except ValidationError as exc:
        lines = _line_index(text)
        problems = [(_line_for(lines, err["loc"]), _explain(err)) for err in exc.errors()]
        raise CatalogError(file, problems) from exc
    problems = list(_cross_check(data))
    if problems:
        lines = _line_index(text)
        raise CatalogError(file, [(_line_for(lines, loc), reason) for loc, reason in problems])
    digest = hashlib.sha256(raw).hexdigest()
    return Catalog(data, path=path or Path(file), digest=digest)


def _cross_check(data: CatalogFile) -> Iterator[tuple[tuple[str | int, ...], str]]:
    missing = [s for s in BASE_SECTORS if s not in data.sectors]
    if missing:
        yield ("sectors",), f"缺少基本的要求单位类别：{', '.join(missing)}"
    for group in data.catalog.declared_counts:
        if group not in data.groups:
            yield ("catalog", "declared_counts", group), f"未定义的分组 {group}"
    for reason_class in ("proven_by_id_card", "proven_by_hukou_book", "competent_department",
                         "no_legal_basis"):
        if reason_class not in data.rules.reason_texts:
            yield ("rules", "reason_texts"), f"缺少理由说明 {reason_class}"
    ids: dict[str, int] = {}
    owners: dict[str, str] = {}
    for i, kind in enumerate(data.kinds):
        at: tuple[str | int, ...] = ("kinds", i)
        if kind.id in ids:
            yield (*at, "id"), f"证明编号 {kind.id} 重复"
        ids[kind.id] = i
        if kind.group not in data.groups:
            yield (*at, "group"), f"未定义的分组 {kind.group}"
        for source in kind.sources:
            if source not in data.sources:
                yield (*at, "sources"), f"未定义的资料来源 {source}"
        for sector in (*kind.partners, *kind.partners_unconfirmed):
            if sector not in data.sectors:
                yield (*at, "partners"), f"未定义的要求单位类别 {sector}"
        for text in (kind.id, kind.name, *kind.aliases):
            for key in lookup_keys(text):
                owner = owners.setdefault(key, kind.id)
                if owner != kind.id:
                    yield (*at, "aliases"), f"名称或别名“{text}”与 {owner} 重复"
    kinds = {k.id: k for k in data.kinds}
    for i, kind in enumerate(data.kinds):
        at = ("kinds", i)
        refs: list[tuple[str, str, tuple[str, ...]]] = []
        if kind.refer:
            refs.append(("refer", kind.refer.kind, ("issue",)))
        if kind.fallback_kind:
            refs.append(("fallback_kind", kind.fallback_kind, ("issue",)))
        if isinstance(kind.for_others, ForOthersKind):
            refs.append(("for_others", kind.for_others.kind, ("abolished", "issue")))
        for ref in kind.replaces.kinds if kind.replaces else ():
            refs.append(("replaces", ref, OUTCOMES))
        for field, ref, allowed in refs:
            if ref not in kinds:
                yield (*at, field), f"引用了不存在的证明 {ref}"
            elif kinds[ref].outcome not in allowed:
                yield (*at, field), f"{field} 引用的 {ref} 结论应为 {'/'.join(allowed)}"


def _explain(err: Any) -> str:
    """A pydantic error in Chinese, naming the field."""
    loc = ".".join(str(p) for p in err["loc"]) or "(文件)"
    kind = err["type"]
    if kind == "missing":
        return f"{loc}：缺少必填项"
    if kind == "extra_forbidden":
        return f"{loc}：不认识的字段"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{loc}：取值“{err.get('input')}”无效，应为 {expected}"
    if kind == "string_pattern_mismatch":
        return f"{loc}：“{err.get('input')}”格式不对(只能用小写字母、数字和下划线)"
    if kind in ("string_type", "bool_type", "int_type", "date_type", "date_from_datetime_parsing",
                "date_parsing", "dict_type", "tuple_type", "model_type", "int_parsing"):
        return f"{loc}：类型不对(得到 {type(err.get('input')).__name__})"
    if kind == "value_error":
        return f"{loc}：{err['msg'].removeprefix('Value error, ')}"
    return f"{loc}：{err['msg']}"


def _line_index(text: str) -> dict[tuple[str | int, ...], int]:
    """Map every mapping key / sequence item path to its 1-based line."""
    index: dict[tuple[str | int, ...], int] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return index

    def walk(node: yaml.Node, path: tuple[str | int, ...]) -> None:
        index[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = (*path, str(key.value))
                walk(value, sub)
                index[sub] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    if root is not None:
        walk(root, ())
    return index


def _line_for(index: dict[tuple[str | int, ...], int], loc: tuple[Any, ...]) -> int | None:
    path = tuple(loc)
    while path:
        if path in index:
            return index[path]
        path = path[:-1]
    return index.get(())


# --------------------------------------------------------------------------- the active catalog


class CatalogStore:
    """The catalog in use, which survives a refused replacement.

    The active catalog is the data dir's ``catalog/active.yaml`` when one was installed with
    ``certdesk catalog use``, else the built-in default. A replacement is validated first; a bad
    one raises ``CatalogError`` and changes nothing.
    """

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir
        self._current: Catalog | None = None

    @property
    def installed_path(self) -> Path | None:
        return self.data_dir / "catalog" / "active.yaml" if self.data_dir else None

    @property
    def current(self) -> Catalog:
        if self._current is None:
            installed = self.installed_path
            if installed is not None and installed.exists():
                self._current = load_catalog(installed)
            else:
                self._current = load_catalog(builtin_catalog_path())
        return self._current

    def replace(self, path: Path) -> Catalog:
        """Validate ``path`` and make it the active catalog (and the installed one, if any)."""
        new = load_catalog(path)  # raises; the current catalog stays
        installed = self.installed_path
        if installed is not None:
            installed.parent.mkdir(parents=True, exist_ok=True)
            tmp = installed.with_suffix(".tmp")
            tmp.write_bytes(Path(path).read_bytes())
            tmp.replace(installed)
            new = Catalog(new.data, path=installed, digest=new.digest)
        self._current = new
        return new

    def reset(self) -> Catalog:
        """Go back to the built-in default catalog."""
        installed = self.installed_path
        if installed is not None and installed.exists():
            installed.unlink()
        self._current = load_catalog(builtin_catalog_path())
        return self._current
