"""Local rule profiles: the values each province's regulations give the suggestion rules.

RULES.md marks these values *(profile)*: they differ by province and are chosen per congress
(`Congress.rule_profile`), never written as constants where they are used. Where a profile's own
regulation is silent on a value, the profile takes the national or the most common local value
and says so in `assumed` — an office should check those and the docs list them
(docs/rule-profiles.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from renda.calendar.choices import PeriodKind

DAYS, MONTHS, WORKING_DAYS = PeriodKind.DAYS, PeriodKind.MONTHS, PeriodKind.WORKING_DAYS


@dataclass(frozen=True)
class Period:
    """A legal period: an amount of days, months or working days (counted by renda.calendar)."""

    kind: str
    amount: int

    def __str__(self) -> str:
        return f"{self.amount} {self.kind}"


@dataclass(frozen=True)
class Threshold:
    """A share of a whole: met when count/total > num/den (strict) or >= num/den (not strict).

    Counted in integers (count * den against num * total), so the boundary is exact: more than
    half of 35 is 18, not 17.5 rounded."""

    num: int
    den: int
    strict: bool = True

    def met(self, count: int, total: int) -> bool:
        if total <= 0:
            return False
        if self.strict:
            return count * self.den > self.num * total
        return count * self.den >= self.num * total

    def needed(self, total: int) -> int:
        """The smallest count that meets the threshold out of `total`."""
        if total <= 0:
            return 1
        base = self.num * total // self.den
        if self.strict:
            return base + 1
        return base if base * self.den >= self.num * total else base + 1

    def __str__(self) -> str:
        return f"{'>' if self.strict else '>='} {self.num}/{self.den}"


MORE_THAN_HALF = Threshold(1, 2, strict=True)
AT_LEAST_TWO_THIRDS = Threshold(2, 3, strict=False)

# SUG-EXCLUDED: grounds for not taking a submission as a suggestion (浙江 第6条; 北京 第12条;
# 重庆 第9条). Codes are the API's contract; labels are in renda.suggestions.choices.
EXCLUDED_COMMON = (
    "personal_matter",  # the deputy's own or relatives' personal matters
    "forwarded_letter",  # forwarded letters or complaints
    "academic_or_promotion",  # academic discussion or product promotion
    "no_content",  # no concrete content
    "pending_court_case",  # specific opinions on court cases not yet concluded
    "ongoing_tender",  # opinions on who should win an ongoing tender
)
EXCLUDED_BEIJING = (*EXCLUDED_COMMON, "legal_consultation", "petition")
# Values that are local practice in every profile (no regulation we know of gives them).
ASSUMED_EVERYWHERE = (
    "sc_contact_target",
    "opinion_referral_period",
    "opinion_rating_window",
    "opinion_warning_days",
    "lp_max_choices",
    "lp_majority",
    "lp_candidate_ratio",
)


@dataclass(frozen=True)
class RuleProfile:
    """The suggestion rules' local values for one province (RULES.md, *(profile)*)."""

    code: str
    # SUG-DEADLINE: answer within 3 months of assignment; 6 for wide or hard suggestions.
    answer_period: Period
    complex_answer_period: Period
    # SUG-NOTIFY: the lead deputy is told the assigned units within this period of registration.
    notify_period: Period
    # SUG-RETURN: a unit may ask to return a suggestion only within this window after receipt.
    return_window: Period
    # SUG-CO-OPINION: co-units send their view to the lead unit within this period of assignment.
    co_opinion_period: Period
    # SUG-FEEDBACK: the lead deputy rates an answer within this window of receiving it.
    feedback_window: Period
    # SUG-REHANDLE: after a 不满意 rating the unit answers again within this period.
    rehandle_period: Period
    # SUG-EXCLUDED: the grounds for rejection this profile knows.
    excluded_grounds: tuple[str, ...] = EXCLUDED_COMMON
    # MOTION-COSIGN: co-signing deputies a motion needs, by congress level.
    motion_cosigners: dict[str, int] = field(
        default_factory=lambda: {
            "national": 30,
            "provincial": 10,
            "city": 10,
            "county": 10,
            "township": 5,
        }
    )
    # Coverage (issue 4): grassroots deputies each standing-committee member keeps fixed contact
    # with (常委会组成人员联系基层代表). Practice, no statute fixes the number: every profile
    # marks it assumed (ASSUMED_EVERYWHERE).
    sc_contact_target: int = 5
    # Citizens' opinions (issue 5): a referred unit answers within this period (practice, e.g.
    # 15 working days; assumed everywhere), the citizen rates the answer within the window, and
    # the deadline job warns this many days before the due date.
    opinion_referral_period: Period = Period(WORKING_DAYS, 15)
    opinion_rating_window: Period = Period(DAYS, 30)
    opinion_warning_days: tuple[int, ...] = (5, 1)
    # LP-VOTE (issue 6): each deputy may choose at most M of the N candidate livelihood
    # projects. No statute fixes M (practice, e.g. 10 of 15): assumed everywhere; each plan may
    # set its own, this is its default.
    lp_max_choices: int = 10
    # Meetings and votes (issue 6). SC-QUORUM: more than half of all members present;
    # CONGRESS-QUORUM: at least two thirds of the deputies; SC-MAJORITY, CONGRESS-MAJORITY,
    # APPT-VOTE: more than half of all members (地方组织法 第14、25、51条; 浙江任免条例).
    sc_quorum: Threshold = MORE_THAN_HALF
    congress_quorum: Threshold = AT_LEAST_TWO_THIRDS
    sc_majority: Threshold = MORE_THAN_HALF
    congress_majority: Threshold = MORE_THAN_HALF
    appointment_majority: Threshold = MORE_THAN_HALF
    # LP-VOTE: no statute; a project is chosen within the top M and with votes from more than
    # half of all deputies (as CONGRESS-MAJORITY), and a livelihood ballot offers at least
    # this many candidates per place (差额: N >= ratio x M, and always N > M). Practice values.
    lp_majority: Threshold = MORE_THAN_HALF
    lp_candidate_ratio: Threshold = Threshold(6, 5, strict=False)
    # Values this profile's own regulation does not give (taken from the default or the most
    # common local rule): listed so offices can check them.
    assumed: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        extra = tuple(a for a in ASSUMED_EVERYWHERE if a not in self.assumed)
        object.__setattr__(self, "assumed", self.assumed + extra)

    def cosigners_needed(self, level: str) -> int:
        """MOTION-COSIGN: at least 10 deputies at county level and above, 5 at township level
        (地方组织法 第22条). The national figure (30) is the NPC's own rule."""
        return self.motion_cosigners.get(level, 10)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "answer_period": str(self.answer_period),
            "complex_answer_period": str(self.complex_answer_period),
            "notify_period": str(self.notify_period),
            "return_window": str(self.return_window),
            "co_opinion_period": str(self.co_opinion_period),
            "feedback_window": str(self.feedback_window),
            "rehandle_period": str(self.rehandle_period),
            "excluded_grounds": list(self.excluded_grounds),
            "motion_cosigners": dict(self.motion_cosigners),
            "sc_contact_target": self.sc_contact_target,
            "opinion_referral_period": str(self.opinion_referral_period),
            "opinion_rating_window": str(self.opinion_rating_window),
            "opinion_warning_days": list(self.opinion_warning_days),
            "lp_max_choices": self.lp_max_choices,
            "sc_quorum": str(self.sc_quorum),
            "congress_quorum": str(self.congress_quorum),
            "sc_majority": str(self.sc_majority),
            "congress_majority": str(self.congress_majority),
            "appointment_majority": str(self.appointment_majority),
            "lp_majority": str(self.lp_majority),
            "lp_candidate_ratio": str(self.lp_candidate_ratio),
            "assumed": list(self.assumed),
        }


_THREE_MONTHS = Period(MONTHS, 3)
_SIX_MONTHS = Period(MONTHS, 6)

PROFILES: dict[str, RuleProfile] = {
    "zhejiang": RuleProfile(
        code="zhejiang",
        answer_period=_THREE_MONTHS,
        complex_answer_period=_SIX_MONTHS,  # extendable to 6 with the office's consent
        notify_period=Period(DAYS, 7),
        return_window=Period(DAYS, 10),
        co_opinion_period=Period(MONTHS, 2),
        feedback_window=Period(WORKING_DAYS, 15),
        rehandle_period=Period(MONTHS, 1),
        assumed=("feedback_window",),
    ),
    "beijing": RuleProfile(
        code="beijing",
        answer_period=_THREE_MONTHS,
        complex_answer_period=_SIX_MONTHS,
        notify_period=Period(DAYS, 7),
        return_window=Period(DAYS, 10),
        co_opinion_period=Period(MONTHS, 1),
        feedback_window=Period(WORKING_DAYS, 15),
        rehandle_period=Period(MONTHS, 2),
        excluded_grounds=EXCLUDED_BEIJING,
        assumed=("notify_period", "return_window", "co_opinion_period"),
    ),
    "shandong": RuleProfile(
        code="shandong",
        answer_period=_THREE_MONTHS,
        complex_answer_period=_SIX_MONTHS,
        notify_period=Period(DAYS, 5),
        return_window=Period(DAYS, 5),
        co_opinion_period=Period(MONTHS, 1),
        feedback_window=Period(WORKING_DAYS, 15),
        rehandle_period=Period(MONTHS, 1),
        assumed=("feedback_window",),
    ),
    "chongqing": RuleProfile(
        code="chongqing",
        answer_period=_THREE_MONTHS,
        complex_answer_period=_SIX_MONTHS,
        notify_period=Period(WORKING_DAYS, 10),
        return_window=Period(WORKING_DAYS, 10),
        co_opinion_period=Period(WORKING_DAYS, 30),
        feedback_window=Period(WORKING_DAYS, 20),
        rehandle_period=Period(MONTHS, 2),
    ),
    "henan": RuleProfile(
        code="henan",
        answer_period=_THREE_MONTHS,
        complex_answer_period=_SIX_MONTHS,
        notify_period=Period(DAYS, 7),
        return_window=Period(WORKING_DAYS, 10),
        co_opinion_period=Period(MONTHS, 2),
        feedback_window=Period(WORKING_DAYS, 10),
        rehandle_period=Period(MONTHS, 1),
        assumed=("notify_period",),
    ),
    "shanghai": RuleProfile(
        code="shanghai",
        answer_period=_THREE_MONTHS,
        complex_answer_period=_SIX_MONTHS,
        notify_period=Period(WORKING_DAYS, 7),
        return_window=Period(WORKING_DAYS, 7),
        co_opinion_period=Period(MONTHS, 1),
        feedback_window=Period(WORKING_DAYS, 15),
        rehandle_period=Period(MONTHS, 1),
        assumed=("feedback_window",),
    ),
    "qingdao": RuleProfile(
        code="qingdao",
        answer_period=_THREE_MONTHS,
        complex_answer_period=_SIX_MONTHS,
        notify_period=Period(WORKING_DAYS, 5),
        return_window=Period(WORKING_DAYS, 5),
        co_opinion_period=Period(MONTHS, 1),
        feedback_window=Period(WORKING_DAYS, 15),
        rehandle_period=Period(MONTHS, 1),
        assumed=("feedback_window",),
    ),
}

DEFAULT_PROFILE = "zhejiang"


def profile_named(code: str) -> RuleProfile:
    return PROFILES.get(code) or PROFILES[DEFAULT_PROFILE]


def profile_for(congress: Any) -> RuleProfile:
    """The rule profile a congress chose (Congress.rule_profile); zhejiang by default."""
    return profile_named(getattr(congress, "rule_profile", "") or DEFAULT_PROFILE)
