"""The server's settings, from the environment (``CERTDESK_…``) or the command line."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CERTDESK_", extra="ignore")

    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/certdesk"
    # the province's public verification site (scheme and host only, e.g. https://yz.gat.jl.gov.cn):
    # handed to stations at enrolment; their QR codes become {public_url}/V/{signed content}
    public_url: str = ""
    # The province's Ed25519 key (PEM, owner-readable): signs catalog versions; its public half
    # is pinned by every station at enrolment. Created by `certdesk-server migrate` if missing.
    province_key: Path = Path("province-ed25519.pem")
    # The province's data key (32 bytes, owner-readable): seals the personal data of partners'
    # inquiries and the stations' answers in PostgreSQL. Created by `migrate` if missing; by
    # default beside the province key, as province-data.key.
    data_key: Path | None = None
    # working days a station has to answer a partner's inquiry, per exchange kind (JSON object,
    # e.g. {"jl_ex_hukou_cancellation_info": 3}); a kind not named has 5
    inquiry_days: dict[str, int] = {}
    max_body_bytes: int = 4 * 1024 * 1024  # a push batch of 500 records is about 1 MB
    verify_per_minute: int = 600  # per client address; receiving units check one paper at a time
    # our own reverse proxies (their addresses): only from them is X-Forwarded-For believed
    trusted_proxies: list[str] = []
    pull_page: int = 500
    # provincial accounts' sign-ins per client address per minute (each costs an Argon2 check)
    login_per_minute: int = 5
    # how often each worker forgets the rate-limit buckets of clients gone quiet (seconds)
    rate_prune_seconds: float = 60.0

    @property
    def data_key_path(self) -> Path:
        return self.data_key or self.province_key.with_name("province-data.key")
