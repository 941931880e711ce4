"""Reading a catalog file: YAML, pydantic validation, cross-references, file:line errors.

A file whose exact bytes were validated before loads from a cache, so the hot path (``certdesk
decide``) imports neither YAML nor pydantic. The cache is data, not code: JSON that msgspec
decodes into the schema's dataclasses, checking every type and running their own checks, and
the cross-references are checked again — a planted or damaged cache file is refused (and
rebuilt), never run. It lives in the user's cache dir, keyed by the SHA-256 of the file and of
the schema's modules.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app import paths
from app.errors import CatalogError
from app.policy.model import IDENT, OUTCOMES, CatalogFile
from app.policy.textkeys import lookup_keys

BASE_SECTORS: tuple[str, ...] = (
    "court",
    "procuratorate",
    "education",
    "civil_affairs",
    "justice",
    "human_resources",
    "housing",
    "health",
    "telecom",
    "bank",
    "public_security",
    "other",
)
REASON_CLASSES = (
    "proven_by_id_card",
    "proven_by_hukou_book",
    "competent_department",
    "no_legal_basis",
)


def parse(raw: bytes, *, file: str) -> tuple[CatalogFile, str]:
    """Validate catalog bytes; return the data and its SHA-256. Raise ``CatalogError``."""
    digest = hashlib.sha256(raw).hexdigest()
    cached = _read_cache(digest)
    if cached is not None:
        return cached, digest
    data = _validate(raw, file=file)
    _write_cache(digest, data)
    return data, digest


def _validate(raw: bytes, *, file: str) -> CatalogFile:
    import yaml
    from pydantic import TypeAdapter, ValidationError

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(file, [(None, f"文件不是 UTF-8 编码(第 {exc.start} 字节)")]) from exc
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        document = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogError(file, [(line, f"YAML 语法错误：{problem}")]) from exc
    if not isinstance(document, dict):
        raise CatalogError(file, [(1, "文件内容应为一个映射(schema、catalog、kinds …)")])
    try:
        data = TypeAdapter(CatalogFile).validate_python(document)
    except ValidationError as exc:
        lines = _line_index(text)
        errors = exc.errors()
        # a value that may be written short (an alias as a bare string, police_holds_info as
        # true/false) or in full: when the full form is wrong, say that, not "not a string"
        full = {tuple(e["loc"][:-1]) for e in errors if str(e["loc"][-1:]) != "('str',)"}
        errors = [
            e
            for e in errors
            if not (e["loc"][-1] in ("str", "bool") and e["type"].endswith("_type"))
            or not any(tuple(e["loc"][:-1])[: len(f)] == f for f in full if f)
        ]
        problems = [(_line_for(lines, err["loc"]), _explain(err)) for err in errors]
        raise CatalogError(file, problems) from exc
    broken = list(_cross_check(data))
    if broken:
        lines = _line_index(text)
        raise CatalogError(file, [(_line_for(lines, loc), reason) for loc, reason in broken])
    return data


def _cross_check(data: CatalogFile) -> Iterator[tuple[tuple[str | int, ...], str]]:
    missing = [s for s in BASE_SECTORS if s not in data.sectors]
    if missing:
        yield ("sectors",), f"缺少基本的要求单位类别：{', '.join(missing)}"
    for sector in data.sectors:  # recorded with every case and sent to the province as is
        if not IDENT.match(sector):
            yield (
                ("sectors", sector),
                (f"要求单位类别的代码“{sector}”格式不对(只能用小写字母、数字和下划线，以字母开头)"),
            )
    for group in data.catalog.declared_counts:
        if group not in data.groups:
            yield ("catalog", "declared_counts", group), f"未定义的分组 {group}"
    for reason_class in REASON_CLASSES:
        if reason_class not in data.rules.reason_texts:
            yield ("rules", "reason_texts"), f"缺少理由说明 {reason_class}"
    ids: set[str] = set()
    owners: dict[str, str] = {}
    for i, kind in enumerate(data.kinds):
        at: tuple[str | int, ...] = ("kinds", i)
        if kind.id in ids:
            yield (*at, "id"), f"证明编号 {kind.id} 重复"
        ids.add(kind.id)
        if kind.group not in data.groups:
            yield (*at, "group"), f"未定义的分组 {kind.group}"
        cited = [("sources", s) for s in kind.sources]
        cited += [("aliases", s) for group in kind.alias_groups for s in group.sources]
        cited += [("police_holds_info", s) for s in kind.holds_info.sources]
        cited += [("where", s) for s in (kind.where.sources if kind.where else ())]
        cited += [("unit_route", s) for s in (kind.unit_route.sources if kind.unit_route else ())]
        cited += [("review", s) for s in (kind.review.sources if kind.review else ())]
        for field, link in (("replaces", kind.replaces), ("for_others", kind.for_others)):
            cited += [(field, s) for s in (link.sources if link else ())]
        for field, source in cited:
            if source not in data.sources:
                yield (*at, field), f"未定义的资料来源 {source}"
        for sector in (*kind.partners, *kind.partners_unconfirmed):
            if sector not in data.sectors:
                yield (*at, "partners"), f"未定义的要求单位类别 {sector}"
        for text in (kind.id, kind.name, *kind.alias_texts):
            clashes = {owners.setdefault(key, kind.id) for key in lookup_keys(text)} - {kind.id}
            for owner in sorted(clashes):
                yield (*at, "aliases"), f"{kind.id} 的名称或别名“{text}”与 {owner} 重复"
    kinds = {k.id: k for k in data.kinds}
    for i, phrasing in enumerate(data.phrasings):
        if phrasing.kind not in kinds:
            yield ("phrasings", i, "kind"), f"引用了不存在的证明 {phrasing.kind}"
        for source in phrasing.sources:
            if source not in data.sources:
                yield ("phrasings", i, "sources"), f"未定义的资料来源 {source}"
    for i, commitment in enumerate(data.commitments):
        at = ("commitments", i)
        if commitment.kind not in kinds:
            yield (*at, "kind"), f"引用了不存在的证明 {commitment.kind}"
        for sector in commitment.sectors:
            if sector not in data.sectors:
                yield (*at, "sectors"), f"未定义的要求单位类别 {sector}"
        for source in commitment.sources:
            if source not in data.sources:
                yield (*at, "sources"), f"未定义的资料来源 {source}"
    for source in data.rules.special_case.sources:
        if source not in data.sources:
            yield ("rules", "special_case", "sources"), f"未定义的资料来源 {source}"
    for i, kind in enumerate(data.kinds):
        refs: list[tuple[str, str, tuple[str, ...]]] = []
        if kind.refer:
            refs.append(("refer", kind.refer.kind, ("issue",)))
        if kind.police_side:
            refs.append(("police_side", kind.police_side.kind, ("issue",)))
        if kind.fallback_kind:
            refs.append(("fallback_kind", kind.fallback_kind, ("issue",)))
        if kind.for_others is not None and kind.for_others.kind is not None:
            refs.append(("for_others", kind.for_others.kind, ("abolished", "issue")))
        for ref in kind.replaces.kinds if kind.replaces else ():
            refs.append(("replaces", ref, OUTCOMES))
        for field, ref, allowed in refs:
            if ref not in kinds:
                yield ("kinds", i, field), f"引用了不存在的证明 {ref}"
            elif kinds[ref].outcome not in allowed:
                yield ("kinds", i, field), f"{field} 引用的 {ref} 结论应为 {'/'.join(allowed)}"


def _explain(err: Any) -> str:
    """A pydantic error in Chinese, naming the field (class names of union members left out)."""
    loc = ".".join(str(p) for p in err["loc"] if not str(p)[:1].isupper()) or "(文件)"
    kind = err["type"]
    if kind == "missing":
        return f"{loc}：缺少必填项"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return f"{loc}：不认识的字段"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{loc}：取值“{err.get('input')}”无效，应为 {expected}"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{loc}：类型不对(得到 {type(err.get('input')).__name__})"
    if kind == "value_error":
        return f"{loc}：{err['msg'].removeprefix('Value error, ')}"
    return f"{loc}：{err['msg']}"


def _line_index(text: str) -> dict[tuple[str | int, ...], int]:
    """Map every mapping key / sequence item path to its 1-based line."""
    import yaml

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


# --------------------------------------------------------------------------- cache


def _schema_fingerprint() -> str:
    from app.policy import loading as catalog_load
    from app.policy import model as catalog_model

    digest = hashlib.sha256()
    for module in (catalog_model, catalog_load):
        try:
            digest.update(Path(module.__file__ or "").read_bytes())
        except OSError:  # a frozen bundle without sources: its version stands in
            digest.update(b"bundle")
    return digest.hexdigest()[:12]


def _cache_path(digest: str) -> Path | None:
    base = paths.cache_dir()
    return base / f"catalog-{digest[:24]}-{_schema_fingerprint()}.json" if base else None


def _read_cache(digest: str) -> CatalogFile | None:
    """The validated catalog from the cache, or None when there is none or it does not hold."""
    import msgspec

    path = _cache_path(digest)
    if path is None or not path.exists():
        return None
    try:
        data = msgspec.json.decode(path.read_bytes(), type=CatalogFile)
    except (OSError, msgspec.ValidationError, msgspec.DecodeError, ValueError, TypeError):
        return None  # not a catalog: ignored, rebuilt from the file
    if next(_cross_check(data), None) is not None:
        return None
    return data


def _write_cache(digest: str, data: CatalogFile) -> None:
    import msgspec

    path = _cache_path(digest)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(msgspec.json.encode(data))
        tmp.replace(path)
    except OSError:
        pass  # the cache is an optimisation only
