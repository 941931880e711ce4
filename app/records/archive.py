"""The PDF archive: the exact bytes handed over, kept in the data dir.

``archive/YYYY/<number>.pdf``, sealed under the station's data key (AES-256-GCM, bound to its
path: ``app.records.vault``), written with fsync before the recording transaction commits (and
removed again if it does not); the database keeps the PDF's SHA-256, so a reprint gives the same
document and a damaged or altered file is noticed. Reading decrypts in memory only.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from app.errors import CertdeskError, InvalidInput
from app.records.vault import seal_for, unseal_for


def archive_path(data_dir: Path, number: str, year: int) -> Path:
    return data_dir / "archive" / str(year) / f"{number}.pdf"


def store(data_dir: Path, number: str, year: int, pdf: bytes, key: bytes | None) -> Path:
    path = archive_path(data_dir, number, year)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as handle:
        handle.write(seal_for(key, data_dir, path, pdf))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path


def read_archived(data_dir: Path, relative: str, sha256: str, key: bytes | None) -> bytes:
    path = data_dir / relative
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise CertdeskError(f"存档文件 {path} 无法读取：{exc.strerror or exc}") from exc
    data = unseal_for(key, data_dir, path, blob)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise CertdeskError(f"存档文件 {path} 与数据库记录的校验值不符，可能已损坏或被改动")
    return data


def write_output(path: Path, pdf: bytes) -> None:
    if path.suffix.lower() != ".pdf":
        raise InvalidInput(f"输出文件应以 .pdf 结尾：{path}", field="output")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(pdf)
    os.replace(tmp, path)
