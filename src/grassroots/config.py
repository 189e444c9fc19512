"""Settings from the environment (GRASSROOTS_*), one object for the whole process."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# The most any deployment may set as GRASSROOTS_ATTACHMENT_MAX_BYTES: the upload routes'
# request-body limit is fixed when the app is built.
ATTACHMENT_CEILING = 50 * 1024 * 1024


def _default_data_dir() -> Path:
    # A folder beside the working directory keeps the demo self-contained; production
    # deployments set GRASSROOTS_DATA_DIR (e.g. /var/lib/grassroots).
    return Path.cwd() / "data"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRASSROOTS_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    sqlite_busy_timeout_ms: int = 10_000
    # `grassroots jobs run` waits longer for SQLite's write lock than a request does: nobody
    # waits on a job, and SQLite's busy handler is not fair, so a second runner could starve
    # for 10 s while the first commits transaction after transaction.
    sqlite_job_busy_timeout_ms: int = 120_000
    # Background job loop in `serve` (deadline sweeps, scheduled reports); 0 disables.
    jobs_interval_seconds: int = 300
    # Threads that run requests at once in each server process (docs/performance.md).
    request_threads: int = 8
    # Public address the app is reached at; https:// enables Secure cookies.
    base_url: str = "http://127.0.0.1:8000"
    # Map tiles: empty means plain background with boundaries only (intranet default).
    tile_url: str = ""
    tile_attribution: str = ""
    # Key file for personal data (AES-256-GCM + blind index); keep it outside the database
    # and its backups. Default: <data_dir>/keys/grassroots.key
    key_file: Path | None = None
    # Append-only file the audit chain head is anchored to (`grassroots audit anchor`, the
    # audit_anchor job); `audit verify` checks against its latest line. Put it on another
    # disk or host than the database (docs/audit.md). Default: <data_dir>/audit-anchors.log
    audit_anchor_file: Path | None = None
    # Attachments of cases (docs/cases.md, 附件): the folder of the content-addressed files
    # (default <data_dir>/attachments), the largest file taken, and a virus scanner run on
    # each file before it is kept (its path appended; exit 0 = clean; empty = no scan).
    attachments_dir: Path | None = None
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=ATTACHMENT_CEILING)
    attachment_scan_command: str = ""
    # Retention (docs/cases.md, 附件): a case's files are deleted this many years after the
    # case was closed, by the attachment_retention job. 0 (the default) keeps them for ever:
    # set the archive period (保管期限) that the centre's own archive rules give.
    attachment_retention_years: int = Field(default=0, ge=0, le=100)

    # Accounts and sessions (docs/accounts.md). Times are configurable per deployment.
    # Failed logins per (user, client address): free ones, then a delay of 1 s, 2 s, 4 s …
    # at most lockout_minutes; counts quiet for login_throttle_forget_hours are forgotten.
    login_max_failures: int = 5
    lockout_minutes: int = 15
    login_throttle_forget_hours: int = 24
    # Ceiling per user over all addresses ("<failures>/<seconds>"): blocks the account until
    # the window ends (against guessing spread over many addresses).
    login_user_ceiling: str = "100/3600"
    # Wrong current passwords sent with one bearer token ("<failures>/<seconds>").
    bearer_reauth_limit: str = "5/900"
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    # Last-used/last-seen times are written in one batch this often (accounts.touches);
    # 0 writes them during the request.
    auth_flush_seconds: float = 10.0
    # API tokens: lifetime when none is asked for, and the longest one may ask for (days).
    token_default_days: int = Field(default=90, ge=1)
    token_max_days: int = Field(default=365, ge=1)
    # Roles that cannot use the app until they have enrolled a TOTP second factor.
    totp_required_roles: list[str] = ["system_admin", "security_admin", "auditor"]
    # Per-process, per-client-address limits: "<requests>/<seconds>".
    login_rate_limit: str = "20/60"
    intake_rate_limit: str = "30/60"
    # The public leads path (anonymous reports, receipt lookups, additions): per address,
    # counted in the database so that it holds across processes.
    leads_public_rate_limit: str = "10/600"
    # Residents' reports (docs/public.md), counted in the database like the leads path:
    # reports per client address, and all public reports together (a flood from many
    # addresses); lookups and ratings per address. The level whose centre holds a report
    # (village: the grid's village, the grid worker serving the grid as assignee), the days
    # after resolution in which 不满意 reopens the case, and
    # the proof-of-work: leading zero bits a browser must find, and how long a challenge
    # lives.
    public_report_rate_limit: str = "5/3600"
    public_global_rate_limit: str = "300/3600"
    public_lookup_rate_limit: str = "30/600"
    public_intake_level: Literal["village", "township", "county"] = "village"
    public_reopen_days: int = Field(default=15, ge=0, le=365)
    public_pow_bits: int = Field(default=16, ge=0, le=24)
    # Adaptive difficulty (docs/public.md): above this many reports from everyone within the
    # global limit's window, one more bit per doubling of that count, at most max_bits.
    public_pow_max_bits: int = Field(default=20, ge=0, le=24)
    public_pow_calm_reports: int = Field(default=30, ge=1)
    public_pow_ttl_seconds: int = Field(default=900, ge=30, le=86400)
    # The webhook channel (notification_channel.name) of the county's SMS gateway: the
    # receipt code by SMS when a resident asks for it; "" offers no SMS.
    public_sms_channel: str = ""
    # Open311 GeoReport v2 (docs/open311.md): requests per client address to /open311/v2/;
    # the jurisdiction_id that names the whole deployment; the level whose centre holds a
    # POSTed request first; the contact shown in discovery.
    open311_rate_limit: str = "60/60"
    # 信息联通 (docs/federation.md): documents per client address to the receiving endpoint,
    # counted in the database before a byte of the body is read (a partner sends a few a
    # minute; a flood of refused documents would otherwise cost a signature check and an audit
    # row each).
    federation_rate_limit: str = "600/60"
    open311_jurisdiction_id: str = "grassroots"
    open311_intake_level: Literal["village", "township", "county"] = "township"
    # The big screen (docs/screens.md): pairing-code attempts per client address (counted
    # in the database), how long a pairing code lives, how often a screen's event stream
    # looks for a change, how long one stream lasts before the browser opens the next (a
    # graceful restart of the server waits for open streams: keep it short), and the hours
    # of new cases its map shows.
    screen_pair_rate_limit: str = "10/600"
    screen_code_minutes: int = Field(default=10, ge=1, le=60)
    screen_poll_seconds: float = Field(default=1.5, ge=0.2, le=10)
    screen_stream_seconds: float = Field(default=25, ge=1, le=3600)
    screen_recent_hours: int = Field(default=6, ge=1, le=72)
    # Likely duplicates at intake (docs/cases.md): cases registered within this many days, in
    # the same grid or within this many metres, sharing a party (blind index) or as similar
    # as this (Jaccard of the meaningful characters, 0–1; bench/duplicates.py).
    duplicate_window_days: int = Field(default=30, ge=1, le=3650)
    duplicate_distance_m: float = Field(default=300.0, ge=0)
    duplicate_text_threshold: float = Field(default=0.2, ge=0, le=1)
    # 12345 work orders (docs/hotline.md): the level whose centre holds an imported order.
    hotline_intake_level: Literal["village", "township", "county"] = "township"
    # 退单 within this many working days of receiving the order; 改派 at most this often.
    hotline_return_days: int = Field(default=1, ge=0)
    hotline_max_reassign: int = Field(default=2, ge=0)
    # The replies (办结反馈) go out through the notification outbox to the webhook channel of
    # this name (管理 › 通知渠道: the hotline platform's URL and the signing secret); empty:
    # replies are only exported to a file (grassroots hotline replies).
    hotline_reply_channel: str = ""
    open311_contact: str = "请联系本县综治中心 / contact the county's governance centre"
    # A grid import is refused when two grids overlap by more than this many square metres;
    # gaps inside a village larger than it are reported (geo.geojson.overlaps).
    grid_overlap_tolerance_m2: float = Field(default=10.0, ge=0)
    # People's mediation (docs/cases.md): extensions of the time to resolve at one level need
    # the parties' consent; at most this many, each at most this many working days.
    extension_max_count: int = Field(default=1, ge=0)
    extension_max_days: int = Field(default=30, ge=1)
    # argon2id cost (RFC 9106 "second recommended" option: t=3, 64 MiB, p=4).
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4

    # Statistics and reports (docs/metrics.md states each definition and its source).
    # 调解终止 within the resolve deadline, the parties told their legal routes, counts as 办结.
    terminated_counts_as_concluded: bool = True
    # The day the deployment began recording cases: no 同比/环比 against a base period that
    # begins before it ("无可比数据"). Empty: every base is compared.
    go_live_date: date | None = None
    # 就地化解率: resolved at village level (village), at village or township (township), or
    # anywhere within the county (county), over all resolved.
    local_resolution_scope: Literal["village", "township", "county"] = "village"
    # 群体性纠纷: a case with at least this many people involved.
    mass_dispute_min_people: int = Field(default=5, ge=2)

    # Notifications (docs/notifications.md): the SMTP server of the e-mail channel, and the
    # outbox's retries (the wait doubles from notify_retry_seconds, at most an hour).
    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "grassroots@localhost"
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    notify_max_attempts: int = Field(default=6, ge=1)
    notify_retry_seconds: int = Field(default=60, ge=1)

    # Between deployments (信息联通, docs/federation.md): this deployment's code in the
    # documents it signs (empty: the code of the top of its jurisdiction tree), whether its
    # policy lets marked personal data cross in the clear (both sides must allow it, else it
    # is masked), and how far a request's timestamp may be from this server's clock.
    federation_code: str = Field(default="", pattern=r"^[0-9A-Za-z_-]{0,32}$")
    federation_clear_personal: bool = False
    federation_window_seconds: int = Field(default=300, ge=30)
    federation_retry_seconds: int = Field(default=30, ge=1)  # the first wait; doubles, ≤ 1 h
    # after a key rotation: how long a retired key of ours is still tried when a partner has
    # not learnt the new one, and how long a partner's previous key stays accepted here
    federation_key_grace_days: int = Field(default=7, ge=0, le=90)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'grassroots.db'}"

    @property
    def key_file_path(self) -> Path:
        return self.key_file or self.data_dir / "keys" / "grassroots.key"

    @property
    def audit_anchor_path(self) -> Path:
        return self.audit_anchor_file or self.data_dir / "audit-anchors.log"

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.lower().startswith("https://")

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
