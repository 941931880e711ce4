"""The station's data key and the slots that unwrap it (as LUKS keeps a disk's key).

One random 256-bit data key encrypts everything the station keeps: the database (SQLCipher) and
every other file (sealed with AES-256-GCM, ``seal_file``/``open_file``). The key itself is never
written in the clear. ``certdesk.keys`` beside the database holds copies of it, each wrapped by
something only a person has:

- ``officer:<code>``: the officer's password through Argon2id (one slot per active officer; a
  disabled officer's slot is removed, a reset or changed password rewraps it);
- ``recovery``: the recovery key printed at set-up for the station's safe;
- ``session:<id>``: a command-line session's random token (the token file holds the other half;
  the slot ends with the session).

The file also carries the station's code, name and workstation in the clear (the sign-in dialog
says where it is before anything is unlocked) and the count of wrong passwords typed while the
station was locked (five in a row lock that officer's slot for 15 minutes; the events reach the
audit trail at the next unlock).

Every change to the file is atomic (a new file, fsync, rename, fsync of the folder), so a power
cut leaves the old slots or the new ones, never half of each.
"""

from __future__ import annotations

import base64
import datetime as dt
import fcntl
import functools
import hashlib
import json
import os
import secrets
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import CertdeskError, InvalidInput, NotSignedIn
from app.protocol import crypto
from app.protocol.signing import FINGERPRINT_ALPHABET

SLOT_FILE = "certdesk.keys"
FORMAT = "certdesk-keys"
VERSION = 1
MAX_FAILURES = 5
MAX_FAILURE_ENTRIES = 200  # officers and unknown codes counted while locked
LOCKOUT = dt.timedelta(minutes=15)
RECOVERY_GROUPS, RECOVERY_GROUP = 8, 5  # 40 characters: 36 random (180 bits) and 4 to check
_CHECK = 4


class StationLocked(NotSignedIn):
    """The station's data is encrypted and nobody has unlocked it in this process."""

    code = "locked"

    def __init__(self, message: str = "本站数据已加密：请先登录(民警密码解锁)") -> None:
        super().__init__(message)


class KeysUnusable(CertdeskError):
    """The slot file is missing, damaged or belongs to another database: nothing can unlock."""

    code = "keys_unusable"
    exit_code = 1


def slot_path(data_dir: Path) -> Path:
    return data_dir / SLOT_FILE


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def write_atomic(path: Path, data: bytes) -> None:
    """``data`` at ``path`` or the old content, never half: a new file (0600), fsync, rename,
    fsync of the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


# ------------------------------------------------------------------------------- the recovery key


def _recovery_check(body: str) -> str:
    number = int.from_bytes(hashlib.sha256(body.encode("ascii")).digest()[:4], "big")
    return "".join(FINGERPRINT_ALPHABET[(number >> (5 * i)) & 31] for i in range(_CHECK))


def new_recovery_key() -> str:
    """40 characters in 8 groups of 5, from the letters and digits that cannot be mistaken for
    one another (no 0/O, 1/I); the last 4 check the others, so a typo is named as such."""
    length = RECOVERY_GROUPS * RECOVERY_GROUP - _CHECK
    body = "".join(secrets.choice(FINGERPRINT_ALPHABET) for _ in range(length))
    text = body + _recovery_check(body)
    return "-".join(text[i : i + RECOVERY_GROUP] for i in range(0, len(text), RECOVERY_GROUP))


def normalise_recovery_key(text: str) -> str:
    """The recovery key as typed (any case, spaces or dashes between groups, O for 0…) reduced
    to its 40 characters; ``InvalidInput`` naming what is wrong."""
    typed = "".join(c for c in text.upper() if c not in " -\t\r\n")
    bad = sorted({c for c in typed if c not in FINGERPRINT_ALPHABET})
    if bad:
        raise InvalidInput(f"恢复密钥含有无效字符：{''.join(bad)}", field="recovery_key")
    if len(typed) != RECOVERY_GROUPS * RECOVERY_GROUP:
        raise InvalidInput(
            f"恢复密钥应为{RECOVERY_GROUPS * RECOVERY_GROUP}个字符(分{RECOVERY_GROUPS}组)，"
            f"输入的是{len(typed)}个",
            field="recovery_key",
        )
    if _recovery_check(typed[:-_CHECK]) != typed[-_CHECK:]:
        raise InvalidInput("恢复密钥校验不符：请逐组核对是否抄错", field="recovery_key")
    return typed


def _recovery_kek(recovery_key: str) -> bytes:
    return crypto.expand(normalise_recovery_key(recovery_key).encode("ascii"), "certdesk recovery")


def _session_kek(token: str) -> bytes:
    return crypto.expand(token.encode("ascii"), "certdesk session")


def session_slot(token: str) -> str:
    return "session:" + hashlib.sha256(token.encode("ascii")).hexdigest()[:16]


# ------------------------------------------------------------------------------------ the slot file


@dataclass
class Slots:
    """The slot file's content (see the module's docstring)."""

    db_id: str
    station: dict[str, str]
    slots: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "suite": crypto.SUITE_NAME,
            "db_id": self.db_id,
            "station": self.station,
            "slots": self.slots,
            "failures": self.failures,
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def parse(cls, raw: bytes, where: Path) -> Slots:
        damaged = KeysUnusable(
            f"密钥槽文件 {where.name} 已损坏，无法解锁本站数据：请用备份恢复(certdesk restore，"
            "备份文件自带密钥槽)，或找回完好的 certdesk.keys"
        )
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise damaged from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise damaged
        if data.get("version") != VERSION or data.get("suite") != crypto.SUITE_NAME:
            raise KeysUnusable(
                f"密钥槽文件 {where.name} 的版本或算法({data.get('suite')})本版本不支持"
            )
        slots, failures, station = (data.get(k) for k in ("slots", "failures", "station"))
        if not (
            isinstance(data.get("db_id"), str)
            and isinstance(slots, dict)
            and isinstance(failures, dict)
            and isinstance(station, dict)
        ):
            raise damaged
        return cls(data["db_id"], station, slots, failures)

    def context(self, name: str) -> str:
        return f"slot:{name}:{self.db_id}"


def _wrap(slots: Slots, name: str, kek: bytes, data_key: bytes, **extra: Any) -> None:
    slots.slots[name] = {"key": _b64(crypto.seal(kek, data_key, slots.context(name))), **extra}


def _unwrap(slots: Slots, name: str, kek: bytes) -> bytes:
    entry = slots.slots[name]
    key = crypto.open_sealed(kek, _unb64(entry["key"]), slots.context(name))
    if len(key) != crypto.KEY_BYTES:
        raise crypto.DecryptionFailed("the unwrapped key has the wrong length")
    return key


def _password_slot(slots: Slots, name: str, password: str, data_key: bytes) -> None:
    salt = crypto.random_bytes(16)
    params = crypto.UNLOCK_KDF
    kek = crypto.derive(password, salt, params)
    _wrap(slots, name, kek, data_key, salt=_b64(salt), kdf=params.to_dict())


def officer_slot(code: str) -> str:
    return f"officer:{code}"


def _failure_name(code: str) -> str:
    """How a try with a code that has no slot is counted: by a short digest only (it may be a
    password typed into the code field), never as typed."""
    return "?" + hashlib.sha256(code.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class LockedFailures:
    """Wrong passwords typed while the station was locked, to be recorded at the next unlock."""

    code: str
    count: int
    locked: bool


def unwrap_recovery(slots: Slots, recovery_key: str) -> bytes:
    """The data key from the recovery slot; ``InvalidInput`` for a mistyped key, ``NotSignedIn``
    for another station's."""
    kek = _recovery_kek(recovery_key)
    if "recovery" not in slots.slots:
        raise KeysUnusable("密钥槽文件中没有恢复密钥槽")
    try:
        return _unwrap(slots, "recovery", kek)
    except (crypto.DecryptionFailed, ValueError, KeyError):
        raise NotSignedIn("恢复密钥不正确(不是本站的恢复密钥)", field="recovery_key") from None


def unwrap_officer(slots: Slots, code: str, password: str) -> bytes:
    """The data key from an officer's slot (no failure counting: for a backup's slots)."""
    entry = slots.slots.get(officer_slot(code))
    if entry is None:
        raise NotSignedIn(f"备份中没有民警 {code} 的密钥槽", field="officer")
    try:
        params = crypto.KdfParams.from_dict(entry.get("kdf") or {})
        return _unwrap(
            slots, officer_slot(code), crypto.derive(password, _unb64(entry.get("salt")), params)
        )
    except (ValueError, KeyError):
        raise KeysUnusable(f"民警 {code} 的密钥槽已损坏") from None
    except crypto.DecryptionFailed:
        raise NotSignedIn("密码不正确(备份中该民警的密码)", field="password") from None


class Vault:
    """The data key of one data dir: whether the station is encrypted, and the key once a slot
    has been opened in this process."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._key: bytes | None = None
        self.pending: list[LockedFailures] = []  # (read by the sign-in that unlocked)
        self._thread_lock = threading.RLock()
        self._depth = 0

    # -------------------------------------------------------------------------------- state

    @property
    def path(self) -> Path:
        return slot_path(self.data_dir)

    @property
    def encrypted(self) -> bool:
        return self.path.exists()

    @property
    def unlocked(self) -> bool:
        return self._key is not None

    @property
    def key(self) -> bytes:
        if self._key is None:
            raise StationLocked()
        return self._key

    def db_key(self) -> bytes | None:
        """The key the database opens with: None for a station not (yet) encrypted."""
        if not self.encrypted and self._key is None:
            return None
        return self.key

    def forget(self) -> None:
        self._key = None

    def read(self) -> Slots:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raise KeysUnusable(
                f"本数据目录缺少密钥槽文件 {SLOT_FILE}，加密的数据无法打开：请用备份恢复"
            ) from None
        except OSError as exc:
            raise KeysUnusable(f"无法读取密钥槽文件 {SLOT_FILE}：{exc.strerror}") from None
        return Slots.parse(raw, self.path)

    def _write(self, slots: Slots) -> None:
        write_atomic(self.path, slots.to_bytes())

    def station(self) -> dict[str, str] | None:
        """The station's code, name and workstation as the slot file states them (None when the
        station is not encrypted)."""
        if not self.encrypted:
            return None
        return dict(self.read().station)

    def officers(self) -> set[str]:
        return {n.split(":", 1)[1] for n in self.read().slots if n.startswith("officer:")}

    # ----------------------------------------------------------------------------- creating

    def create(
        self, station: dict[str, str], officer: str, password: str, data_key: bytes | None = None
    ) -> str:
        """A new data key (or ``data_key``, when an existing plain station is encrypted) with
        its first officer's slot and a recovery slot; returns the recovery key (shown once)."""
        with self._serialised():
            key = data_key or crypto.random_key()
            slots = Slots(secrets.token_hex(16), dict(station))
            _password_slot(slots, officer_slot(officer), password, key)
            recovery = new_recovery_key()
            _wrap(slots, "recovery", _recovery_kek(recovery), key)
            self._write(slots)
            self._key = key
            return recovery

    # ---------------------------------------------------------------------------- unlocking

    def unlock_officer(self, code: str, password: str, now: dt.datetime) -> None:
        """Open the officer's slot with their password. Each try is counted in the slot file
        before the password is checked (under the file's lock: tries made at once from several
        processes all count) and taken back when it opens the slot; five wrong in a row lock the
        slot for 15 minutes, and a locked slot answers the same whatever password is typed.
        ``NotSignedIn`` says what happened."""
        code = code.strip()
        with self._serialised():
            slots = self.read()
            who = code if officer_slot(code) in slots.slots else _failure_name(code)
            record = slots.failures.setdefault(who, {"count": 0, "total": 0})
            until = record.get("locked_until")
            if isinstance(until, str) and dt.datetime.fromisoformat(until) > now:
                minutes = int((dt.datetime.fromisoformat(until) - now).total_seconds() // 60) + 1
                raise NotSignedIn(f"密码错误次数过多，民警 {code} 已锁定，请{minutes}分钟后再试")
            record["count"] = int(record.get("count", 0)) + 1
            record["total"] = int(record.get("total", 0)) + 1
            counted = int(record["count"])
            if len(slots.failures) > MAX_FAILURE_ENTRIES:  # (unknown codes cannot fill the file)
                oldest = [k for k in slots.failures if k.startswith("?")][:1]
                for k in oldest:
                    del slots.failures[k]
            self._write(slots)
        entry = slots.slots.get(officer_slot(code))
        if entry is None:
            self._after_failure(who, counted, now)
            raise NotSignedIn(
                "警号或密码不正确(本站数据已加密：只有本站在册民警的密码能解锁；"
                "升级后尚未在本机登录过的民警，请先由已登录的民警解锁后再登录，或请管理员重置密码)"
            )
        try:
            params = crypto.KdfParams.from_dict(entry.get("kdf") or {})
            kek = crypto.derive(password, _unb64(entry.get("salt")), params)
            key = _unwrap(slots, officer_slot(code), kek)
        except (ValueError, KeyError):
            raise KeysUnusable(
                f"密钥槽文件中民警 {code} 的密钥槽已损坏：请管理员重置其密码"
            ) from None
        except crypto.DecryptionFailed:
            left = self._after_failure(who, counted, now)
            if left == 0:
                raise NotSignedIn(
                    f"警号或密码不正确：密码连续错误{MAX_FAILURES}次，民警 {code} 已锁定15分钟",
                    field="password",
                ) from None
            raise NotSignedIn(
                f"警号或密码不正确：密码不正确(再错{left}次将锁定)", field="password"
            ) from None
        with self._serialised():  # the right password: this try is not a failure
            slots = self.read()
            tried = slots.failures.get(who)
            if tried is not None:
                tried["count"] = 0
                tried["total"] = max(0, int(tried.get("total", 1)) - 1)
                if not tried["total"] and not tried.get("locks"):
                    del slots.failures[who]
                self._write(slots)
        self._unlocked(slots, key)

    def _after_failure(self, who: str, counted: int, now: dt.datetime) -> int:
        """A counted try was wrong: the fifth in a row locks. Returns how many are left."""
        left = MAX_FAILURES - counted
        if left > 0:
            return left
        with self._serialised():
            slots = self.read()
            record = slots.failures.setdefault(who, {"count": 0, "total": counted})
            record["count"] = 0
            record["locked_until"] = (now + LOCKOUT).isoformat()
            record["locks"] = int(record.get("locks", 0)) + 1
            self._write(slots)
        return 0

    def lock_officer(self, code: str, until: dt.datetime) -> None:
        """Mirror a lock the database set (five wrong passwords while unlocked): a locked station
        then refuses that officer's slot too, before any password is checked."""
        with self._serialised():
            slots = self.read()
            record = slots.failures.setdefault(code, {"count": 0, "total": 0})
            record["locked_until"] = until.isoformat()
            self._write(slots)

    @contextmanager
    def _serialised(self) -> Iterator[None]:
        """The slot file's lock (``flock`` on a file beside it, and a thread lock): every
        read-modify-write of the slot file holds it, so no change overwrites another's."""
        with self._thread_lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path.with_name(SLOT_FILE + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                self._depth = 1
                try:
                    yield
                finally:
                    self._depth = 0
            finally:
                os.close(fd)

    def _unlocked(self, slots: Slots, key: bytes) -> None:
        self._key = key
        if slots.failures:  # handed to the audit trail by the sign-in that unlocked
            self.pending = [
                LockedFailures(code, int(r.get("total", 0)), bool(r.get("locks")))
                for code, r in sorted(slots.failures.items())
            ]

    def failures_recorded(self) -> None:
        """The locked-time failures are in the audit trail now: clear them from the file."""
        with self._serialised():
            if not self.pending:
                return
            slots = self.read()
            now = dt.datetime.now(dt.UTC)
            for failed in self.pending:
                record = slots.failures.get(failed.code)
                if record is None:
                    continue
                until = record.get("locked_until")
                if isinstance(until, str) and dt.datetime.fromisoformat(until) > now:
                    record.update(count=0, total=0, locks=0)  # the lock itself still runs
                else:
                    del slots.failures[failed.code]
            self._write(slots)
            self.pending = []

    def unlock_recovery(self, recovery_key: str) -> None:
        slots = self.read()
        self._unlocked(slots, unwrap_recovery(slots, recovery_key))

    def unlock_session(self, token: str, now: dt.datetime) -> bool:
        """Open a command-line session's slot (False when it is gone or has expired)."""
        with self._serialised():
            slots = self.read()
            name = session_slot(token)
            entry = slots.slots.get(name)
            if entry is None:
                return False
            expires = entry.get("expires")
            if not isinstance(expires, str) or dt.datetime.fromisoformat(expires) <= now:
                del slots.slots[name]
                self._write(slots)
                return False
            try:
                self._key = _unwrap(slots, name, _session_kek(token))
            except (crypto.DecryptionFailed, ValueError, KeyError):
                return False
            return True

    # ------------------------------------------------------------------ keeping slots right

    def set_officer(self, code: str, password: str) -> None:
        """The officer's slot, new or rewrapped for a new password (needs the unlocked key)."""
        with self._serialised():
            key = self.key
            slots = self.read()
            _password_slot(slots, officer_slot(code), password, key)
            slots.failures.pop(code, None)
            self._write(slots)

    def clear_failures(self, code: str) -> None:
        with self._serialised():
            slots = self.read()
            if slots.failures.pop(code, None) is not None:
                self._write(slots)

    def has_officer(self, code: str) -> bool:
        return self.encrypted and officer_slot(code) in self.read().slots

    def remove_officer(self, code: str) -> bool:
        with self._serialised():
            slots = self.read()
            if slots.slots.pop(officer_slot(code), None) is None:
                return False
            self._write(slots)
            return True

    def keep_only(self, officers: set[str]) -> list[str]:
        """Remove the slots of officers not in ``officers`` (those disabled or unknown to the
        database: a power cut between the database and the slot file); returns whose."""
        with self._serialised():
            slots = self.read()
            gone = [
                n.split(":", 1)[1]
                for n in list(slots.slots)
                if n.startswith("officer:") and n.split(":", 1)[1] not in officers
            ]
            for code in gone:
                del slots.slots[officer_slot(code)]
            if gone:
                self._write(slots)
            return gone

    def add_session(self, token: str, expires: dt.datetime, officer: str = "") -> None:
        with self._serialised():
            slots = self.read()
            now = dt.datetime.now(dt.UTC)
            for name in [n for n in slots.slots if n.startswith("session:")]:  # ended ones go
                until = slots.slots[name].get("expires")
                if not isinstance(until, str) or dt.datetime.fromisoformat(until) <= now:
                    del slots.slots[name]
            _wrap(
                slots,
                session_slot(token),
                _session_kek(token),
                self.key,
                expires=expires.isoformat(),
                officer=officer,
            )
            self._write(slots)

    def remove_session(self, token: str) -> None:
        with self._serialised():
            if not self.encrypted:
                return
            slots = self.read()
            if slots.slots.pop(session_slot(token), None) is not None:
                self._write(slots)

    def remove_sessions(self, officer: str | None = None) -> None:
        """Every command-line session's slot, or those of ``officer`` (their sessions ended)."""
        with self._serialised():
            if not self.encrypted:
                return
            slots = self.read()
            names = [
                n
                for n in slots.slots
                if n.startswith("session:")
                and (officer is None or slots.slots[n].get("officer") in (officer, "", None))
            ]
            for name in names:
                del slots.slots[name]
            if names:
                self._write(slots)

    def new_recovery(self) -> str:
        """A new recovery key (the old one stops working); shown once."""
        with self._serialised():
            slots = self.read()
            recovery = new_recovery_key()
            _wrap(slots, "recovery", _recovery_kek(recovery), self.key)
            self._write(slots)
            return recovery

    def set_station(self, station: dict[str, str]) -> None:
        with self._serialised():
            slots = self.read()
            slots.station = dict(station)
            self._write(slots)

    # ------------------------------------------------------------------------- sealed files

    def seal(self, path: Path, data: bytes) -> bytes:
        """``data`` as it is kept at ``path`` in the data dir (sealed for an encrypted station)."""
        return seal_for(self.db_key(), self.data_dir, path, data)

    def write_file(self, path: Path, data: bytes) -> None:
        """Keep ``data`` at ``path`` in the data dir, sealed, atomically."""
        write_atomic(path, self.seal(path, data))

    def open_file(self, path: Path) -> bytes:
        """What a file in the data dir holds, opened; ``CertdeskError`` when it cannot be."""
        return open_for(self.db_key(), self.data_dir, path)

    def unseal(self, path: Path, blob: bytes) -> bytes:
        return unseal_for(self.db_key(), self.data_dir, path, blob)


@functools.lru_cache(maxsize=4)
def _file_key(key: bytes) -> bytes:
    """The key files are sealed with: derived from the data key for that one use (HKDF), so
    SQLCipher's pages and AES-GCM's files never share a key."""
    return crypto.expand(key, "certdesk files")


def _context(data_dir: Path, path: Path) -> str:
    """What a sealed file is bound to: its place in the data dir (moved elsewhere, it fails)."""
    return "file:" + path.resolve().relative_to(data_dir.resolve()).as_posix()


def seal_for(key: bytes | None, data_dir: Path, path: Path, data: bytes) -> bytes:
    """``data`` as kept at ``path`` in ``data_dir``: sealed under ``key`` (None: a plain station
    from before encryption, as is)."""
    if key is None:
        return data
    return crypto.seal(_file_key(key), data, _context(data_dir, path))


def unseal_for(key: bytes | None, data_dir: Path, path: Path, blob: bytes) -> bytes:
    if not crypto.is_sealed(blob):
        if key is not None:
            raise CertdeskError(f"文件 {path.name} 未加密，而本站数据均应加密：拒绝使用")
        return blob
    if key is None:
        raise StationLocked()
    try:
        return crypto.open_sealed(_file_key(key), blob, _context(data_dir, path))
    except crypto.DecryptionFailed:
        raise CertdeskError(
            f"文件 {path.name} 无法解密：已损坏、被改动，或不属于本站数据目录"
        ) from None


def open_for(key: bytes | None, data_dir: Path, path: Path) -> bytes:
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise CertdeskError(f"文件 {path.name} 无法读取：{exc.strerror or exc}") from exc
    return unseal_for(key, data_dir, path, blob)
