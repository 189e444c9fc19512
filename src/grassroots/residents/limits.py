"""The abuse limits of the residents' channel, all kept in the database (the public rate
table of grassroots.leads.public), so every app process shares them:

- reports per client address (public_report_rate_limit) and all reports together
  (public_global_rate_limit: a flood from many addresses);
- lookups and ratings per address (public_lookup_rate_limit: receipt codes are 120 bits,
  guessing is hopeless, but each try costs the database);
- each proof of work is good for one report (its challenge is marked used here), and its
  difficulty rises with the reports of everyone (pow_bits).

A call over a limit is a 429 with Retry-After and changes nothing else.
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from grassroots.config import Settings
from grassroots.errors import Problem
from grassroots.ratelimit.actions import do_count_hit
from grassroots.ratelimit.limits import client_ip, parse_rate, refuse_over
from grassroots.ratelimit.queries import recent_hits
from grassroots.residents import pow as proof_of_work

EVERYONE = "*"  # the client key of the global limit


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def report_limit(request: Request) -> None:
    """Route dependency of the report: per address, then everyone's."""
    settings = _settings(request)
    refuse_over(request, "public-report", settings.public_report_rate_limit, client_ip(request))
    refuse_over(request, "public-all", settings.public_global_rate_limit, EVERYONE)


def lookup_limit(request: Request) -> None:
    """Route dependency of lookups, ratings and challenges: per address."""
    rate = _settings(request).public_lookup_rate_limit
    refuse_over(request, "public-lookup", rate, client_ip(request))


report_limit.rate_limit = "public_report"  # type: ignore[attr-defined]
lookup_limit.rate_limit = "public_lookup"  # type: ignore[attr-defined]


def pow_bits(session: Session, settings: Settings) -> int:
    """Today's proof-of-work difficulty: adapted to the reports of everyone counted in the
    global limit's window (pow.adaptive_bits)."""
    _, window = parse_rate(settings.public_global_rate_limit)
    recent = recent_hits(session, "public-all", EVERYONE, window)
    calm, floor = settings.public_pow_calm_reports, settings.public_pow_bits
    return proof_of_work.adaptive_bits(recent, calm, floor, settings.public_pow_max_bits)


def spend_proof(request: Request, proof: str) -> None:
    """The proof of work holds and was not used before (then it is used up)."""
    settings = _settings(request)
    challenge = proof_of_work.check(proof, settings.public_pow_bits)
    with request.app.state.write_sessions() as session:
        again = do_count_hit(session, "public-pow", challenge, 1, settings.public_pow_ttl_seconds)
    if again is not None:
        message = "验证已使用，请刷新页面重试 / proof already used"
        raise Problem(422, "proof_of_work_failed", message,
                      errors=[{"field": "proof", "message": "used"}])  # fmt: skip
