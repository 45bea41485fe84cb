"""Rate limits of the public proposal form and API: the opinions' fixed windows
(renda.deputies.ratelimits) with the opinions' limits (RENDA_OPINION_SUBMIT_LIMITS per address,
RENDA_OPINION_PHONE_LIMITS per phone), counted apart from opinions."""

from __future__ import annotations

from django.conf import settings

from renda.deputies import ratelimits
from renda.deputies.ratelimits import Verdict

SUBMIT = "livelihood-propose"
SUBMIT_PHONE = "livelihood-propose-phone"


def check_submit(address: str | None, phone: str = "") -> Verdict:
    verdicts = [ratelimits.check(SUBMIT, address, settings.RENDA_OPINION_SUBMIT_LIMITS)]
    if phone:
        verdicts.append(ratelimits.check(SUBMIT_PHONE, phone, settings.RENDA_OPINION_PHONE_LIMITS))
    refused = [v for v in verdicts if not v.allowed]
    if not refused:
        return Verdict(True)
    return max(refused, key=lambda v: v.retry_at)  # type: ignore[arg-type, return-value]


def count_submit(address: str | None, phone: str = "") -> None:
    ratelimits.count(SUBMIT, address, settings.RENDA_OPINION_SUBMIT_LIMITS)
    if phone:
        ratelimits.count(SUBMIT_PHONE, phone, settings.RENDA_OPINION_PHONE_LIMITS)
