"""Scheduled jobs: one registry that `grassroots jobs run` and the loop in `serve` run in order.

A job is an idempotent function `run(engine, now) -> summary`: running it twice gives the
same result as once (marks written in the same transaction as its effect). On top of that
the runner lets only one process at a time run each job (`only_one`: a PostgreSQL advisory
lock, or a lock file beside the SQLite database): several `serve` processes or hosts, and a
`grassroots jobs run` from cron, never run the same job at once. Domains add their job to
JOBS below (one line each).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from grassroots.accounts.jobs import session_purge_job
from grassroots.audit.jobs import audit_anchor_job
from grassroots.cases.attachments.jobs import attachment_retention_job
from grassroots.cases.deadlines.jobs import sweep_deadlines
from grassroots.db import utcnow
from grassroots.federation.jobs import federation_outbox
from grassroots.hotline.jobs import queue_hotline_replies
from grassroots.jobs.lock import only_one
from grassroots.leads.jobs import sweep_leads
from grassroots.ledgers.web.jobs import ledger_upload_purge_job
from grassroots.notifications.jobs import deliver_outbox
from grassroots.reports.jobs import scheduled_reports_job

log = logging.getLogger(__name__)

JobFunction = Callable[[Engine, datetime], Mapping[str, Any]]


@dataclass(frozen=True)
class Job:
    name: str
    description: str  # 中文 / English, shown by `grassroots jobs list`
    run: JobFunction


JOBS: list[Job] = [
    Job(
        "deadline_sweep",
        "时限巡检：临期、超期督办，按规则自动上报 / flag cases near or past deadlines, "
        "escalate overdue ones where the policy says so",
        sweep_deadlines,
    ),
    Job(
        "lead_sweep",
        "线索超期督办：核查超期的线索按工作日督办、上报上一级 / flag leads past their "
        "verification deadline and escalate them after working days late",
        sweep_leads,
    ),
    Job(
        "scheduled_reports",
        "定时报告：每月、每季度结束后生成县及各乡镇的工作报告并保存 / monthly and quarterly "
        "reports for the county and each township, kept for download",
        scheduled_reports_job,
    ),
    Job(
        "session_purge",
        "会话清理：删除已超时的登录会话 / delete login sessions past their idle or absolute limit",
        session_purge_job,
    ),
    Job(
        "attachment_retention",
        "附件保存期限：删除结案超过保存年限（GRASSROOTS_ATTACHMENT_RETENTION_YEARS，"
        "默认 0 为永久保存）的案件附件，并清理一天以上无记录引用的文件 / "
        "delete the files of cases closed longer ago than the retention period "
        "(0 = keep for ever), and files no row has named for a day",
        attachment_retention_job,
    ),
    Job(
        "ledger_upload_purge",
        "台账上传清理：清空超过两小时未导入的台账上传文件（加密保存的文件内容） / empty ledger "
        "files uploaded on the import page and not imported within two hours",
        ledger_upload_purge_job,
    ),
    Job(
        "audit_anchor",
        "审计锚点：校验新增的审计行后，把链头追加到数据库以外的锚点文件 / verify the audit rows "
        "since the last anchor, then append the chain head to the anchor file",
        audit_anchor_job,
    ),
    Job(
        "hotline_replies",
        "12345 办结反馈：把已办结热线工单的办理结果、时间和群众评价放入发件箱，由通知投递推送给"
        "热线平台 / put the replies of ended 12345 orders (result, time, rating) into the "
        "outbox for the hotline platform's webhook",
        queue_hotline_replies,
    ),
    Job(
        "notification_outbox",
        "通知投递：通过邮件和签名 Webhook 发送待发的通知，失败的按退避时间重试 / send the due "
        "notifications by e-mail and signed webhook, retrying failures with backoff",
        deliver_outbox,
    ),
    Job(
        "federation_outbox",
        "信息联通发件箱：把已联通案件的状态变化放入发件箱，按案件顺序向联通县（区）发送签名文书，"
        "失败的按退避时间重试 / queue the status changes of cases shared with partner "
        "deployments, then send the due signed documents in order per case, retrying with backoff",
        federation_outbox,
    ),
]


def job_named(name: str) -> Job:
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(name)


@dataclass(frozen=True)
class JobOutcome:
    name: str
    ok: bool
    summary: Mapping[str, Any]
    error: str = ""


SKIPPED = {"skipped": "另一进程正在运行此任务 / another process is running this job"}


def run_jobs(
    engine: Engine, now: datetime | None = None, only: list[str] | None = None
) -> list[JobOutcome]:
    """Run every job (or those named) in order. One job failing does not stop the others;
    a job another process is running is skipped."""
    moment = now or utcnow()
    outcomes = []
    for job in JOBS if only is None else [job_named(n) for n in only]:
        try:
            with only_one(engine, job.name) as mine:
                summary = job.run(engine, moment) if mine else SKIPPED
        except Exception as exc:  # one broken job must not stop the others
            log.exception("job %s failed", job.name)
            outcomes.append(JobOutcome(job.name, False, {}, f"{type(exc).__name__}: {exc}"))
            continue
        log.info("job %s: %s", job.name, dict(summary))
        outcomes.append(JobOutcome(job.name, True, summary))
    return outcomes


class JobLoop:
    """The background loop `serve` starts: every `interval` seconds, run_jobs. 0 disables."""

    def __init__(self, engine: Engine, interval_seconds: int) -> None:
        self.engine = engine
        self.interval = interval_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        if self.interval <= 0:
            log.info("job loop disabled (jobs_interval_seconds=0)")
            return False
        self._thread = threading.Thread(target=self._loop, name="grassroots-jobs", daemon=True)
        self._thread.start()
        return True

    def _loop(self) -> None:
        # The first run soon after start (not a whole interval later), then every interval.
        wait = min(self.interval, 30)
        while not self._stop.wait(wait):
            run_jobs(self.engine)
            wait = self.interval

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
