"""Local rule profiles give each *(profile)* value of RULES.md for the suggestion rules."""

from __future__ import annotations

import pytest

from renda.orgs.choices import RuleProfile as ProfileChoice
from renda.rules.profiles import DAYS, MONTHS, PROFILES, WORKING_DAYS, Period, profile_for


def test_every_selectable_profile_exists():
    assert set(ProfileChoice.values) == set(PROFILES)


class _Congress:
    def __init__(self, profile: str, level: str = "city") -> None:
        self.rule_profile = profile
        self.level = level


def test_zhejiang_is_the_default():
    assert profile_for(_Congress("")).code == "zhejiang"
    assert profile_for(_Congress("no-such-profile")).code == "zhejiang"


def test_sug_deadline_three_months_six_when_complex():
    """SUG-DEADLINE: 3 months of assignment; 6 months for wide or hard suggestions."""
    for profile in PROFILES.values():
        assert profile.answer_period == Period(MONTHS, 3)
        assert profile.complex_answer_period == Period(MONTHS, 6)


@pytest.mark.parametrize(
    "code, period",
    [
        ("zhejiang", Period(DAYS, 7)),
        ("shandong", Period(DAYS, 5)),
        ("chongqing", Period(WORKING_DAYS, 10)),
        ("qingdao", Period(WORKING_DAYS, 5)),
        ("shanghai", Period(WORKING_DAYS, 7)),
    ],
)
def test_sug_notify_per_profile(code, period):
    """SUG-NOTIFY: the lead deputy is told the assigned units within the local period."""
    assert PROFILES[code].notify_period == period


@pytest.mark.parametrize(
    "code, period",
    [
        ("zhejiang", Period(DAYS, 10)),
        ("shandong", Period(DAYS, 5)),
        ("chongqing", Period(WORKING_DAYS, 10)),
        ("henan", Period(WORKING_DAYS, 10)),
        ("qingdao", Period(WORKING_DAYS, 5)),
        ("shanghai", Period(WORKING_DAYS, 7)),
    ],
)
def test_sug_return_window_per_profile(code, period):
    """SUG-RETURN: a unit may ask to return a suggestion only within the local window."""
    assert PROFILES[code].return_window == period


@pytest.mark.parametrize(
    "code, period",
    [
        ("zhejiang", Period(MONTHS, 2)),
        ("henan", Period(MONTHS, 2)),
        ("shandong", Period(MONTHS, 1)),
        ("qingdao", Period(MONTHS, 1)),
        ("shanghai", Period(MONTHS, 1)),
        ("chongqing", Period(WORKING_DAYS, 30)),
    ],
)
def test_sug_co_opinion_per_profile(code, period):
    """SUG-CO-OPINION: co-units send their view to the lead unit within the local period."""
    assert PROFILES[code].co_opinion_period == period


@pytest.mark.parametrize(
    "code, period",
    [
        ("beijing", Period(WORKING_DAYS, 15)),
        ("chongqing", Period(WORKING_DAYS, 20)),
        ("henan", Period(WORKING_DAYS, 10)),
    ],
)
def test_sug_feedback_window_per_profile(code, period):
    """SUG-FEEDBACK: the lead deputy rates each answer within the local window."""
    assert PROFILES[code].feedback_window == period


@pytest.mark.parametrize(
    "code, months",
    [
        ("zhejiang", 1),
        ("shandong", 1),
        ("shanghai", 1),
        ("henan", 1),
        ("beijing", 2),
        ("chongqing", 2),
    ],
)
def test_sug_rehandle_per_profile(code, months):
    """SUG-REHANDLE: a 不满意 rating sends it back, to be answered within 1 or 2 months."""
    assert PROFILES[code].rehandle_period == Period(MONTHS, months)


def test_sug_excluded_beijing_adds_consultation_and_petitions():
    """SUG-EXCLUDED: 北京 adds legal or policy consultation and reports/accusations/appeals."""
    assert "legal_consultation" not in PROFILES["zhejiang"].excluded_grounds
    assert {"legal_consultation", "petition"} <= set(PROFILES["beijing"].excluded_grounds)
    assert "pending_court_case" in PROFILES["zhejiang"].excluded_grounds


@pytest.mark.parametrize(
    "level, needed", [("provincial", 10), ("city", 10), ("county", 10), ("township", 5)]
)
def test_motion_cosign_thresholds(level, needed):
    """MOTION-COSIGN: 10 deputies at county level and above, 5 at township level."""
    for profile in PROFILES.values():
        assert profile.cosigners_needed(level) == needed


def test_values_a_regulation_does_not_give_are_flagged_as_assumed():
    for profile in PROFILES.values():
        assert set(profile.assumed) <= set(profile.as_dict())


def test_sc_contact_target_is_five_and_marked_assumed_in_every_profile():
    """Coverage (issue 4 point 6): each standing-committee member's fixed contacts with
    grassroots deputies — a practice value, so every profile lists it as assumed."""
    for profile in PROFILES.values():
        assert profile.sc_contact_target == 5
        assert "sc_contact_target" in profile.assumed
        assert profile.as_dict()["sc_contact_target"] == 5
