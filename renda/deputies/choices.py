"""Words of the deputies' registry and duty records (DOMAIN.md §3.5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Party(models.TextChoices):
    """政治面貌, as rosters write it (the import reads the Chinese names)."""

    CPC = "cpc", _("CPC member")  # 中共党员
    CPC_PROBATIONARY = "cpc_probationary", _("CPC probationary member")  # 中共预备党员
    CYL = "cyl", _("Communist Youth League member")  # 共青团员
    RCCK = "rcck", _("RCCK member")  # 民革党员
    CDL = "cdl", _("CDL member")  # 民盟盟员
    CNDCA = "cndca", _("CNDCA member")  # 民建会员
    CAPD = "capd", _("CAPD member")  # 民进会员
    CPWDP = "cpwdp", _("CPWDP member")  # 农工党党员
    CZGP = "czgp", _("CZGP member")  # 致公党党员
    JIUSAN = "jiusan", _("Jiusan Society member")  # 九三学社社员
    TDSGL = "tdsgl", _("TDSGL member")  # 台盟盟员
    NON_PARTY = "non_party", _("Non-party personage")  # 无党派人士
    MASSES = "masses", _("No affiliation")  # 群众


class Sector(models.TextChoices):
    """The composition categories congresses report their deputies by (代表构成)."""

    WORKER = "worker", _("Worker")  # 工人
    FARMER = "farmer", _("Farmer")  # 农民
    PROFESSIONAL = "professional", _("Professional or technician")  # 专业技术人员
    OFFICIAL = "official", _("Party or government official")  # 党政领导干部
    BUSINESS = "business", _("Business manager")  # 企业负责人
    MILITARY = "military", _("Armed forces")  # 解放军和武警
    OTHER = "other", _("Other")  # 其他


class DeputyshipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Duties suspended")  # DEP-SUSPEND
    ENDED = "ended", _("Ended")  # DEP-TERMINATE


class EndGround(models.TextChoices):
    """DEP-TERMINATE: why a deputyship ended (代表法 第62、63条), or the term ending."""

    TERM_ENDED = "term_ended", _("The term ended")
    MOVED_AWAY = "moved_away", _("Moved out of or transferred from the area")
    RESIGNED = "resigned", _("Resignation accepted")
    ABSENT_TWO_SESSIONS = "absent_two_sessions", _("Absent from two sessions without leave")
    RECALLED = "recalled", _("Recalled")
    LOST_NATIONALITY = "lost_nationality", _("Lost Chinese nationality")
    DEPRIVED_RIGHTS = "deprived_rights", _("Deprived of political rights")
    LOST_CAPACITY = "lost_capacity", _("Lost capacity for civil conduct")
    DIED = "died", _("Died")


class SuspendGround(models.TextChoices):
    """DEP-SUSPEND: why a deputy's duties are suspended (代表法 第61条)."""

    DETAINED = "detained", _("Detained in a criminal case")
    SENTENCED = "sentenced", _("Serving a sentence without deprivation of political rights")


class GroupKind(models.TextChoices):
    DEPUTY_GROUP = "deputy_group", _("Deputy group")  # 代表小组
    PROFESSIONAL_GROUP = "professional_group", _("Professional group")  # 专业小组


class DutyKind(models.TextChoices):
    """Kinds of duties a deputy performs (履职), and the two that cost points (DEP-SCORE)."""

    SESSION = "session", _("Attending a session of the congress")  # 出席代表大会会议
    SC_SITTING = "sc_sitting", _("Sitting in on a standing-committee meeting")  # 列席常委会会议
    INSPECTION = "inspection", _("Inspection or research")  # 视察、调研、执法检查
    RECEPTION = "reception", _("Receiving citizens at a liaison station")  # 进站接待群众
    TRAINING = "training", _("Training")  # 学习培训
    REPORT_BACK = "report_back", _("Reporting back to voters")  # 向选民述职
    GROUP_ACTIVITY = "group_activity", _("Deputy-group activity")  # 代表小组活动
    SUGGESTION = "suggestion", _("Suggestion submitted")  # 提出建议
    MOTION = "motion", _("Motion submitted")  # 提出议案
    OTHER = "other", _("Other duty")
    # Not duties: recorded so a rule table can deduct for them (DEP-SCORE).
    LEAVE = "leave", _("Leave of absence")  # 请假
    ABSENCE = "absence", _("Absence without leave")  # 无故缺席


# Kinds an activity can be organised as (a suggestion or motion comes from the platform).
ACTIVITY_KINDS = (
    DutyKind.SESSION,
    DutyKind.SC_SITTING,
    DutyKind.INSPECTION,
    DutyKind.RECEPTION,
    DutyKind.TRAINING,
    DutyKind.REPORT_BACK,
    DutyKind.GROUP_ACTIVITY,
    DutyKind.OTHER,
)
DEDUCTION_KINDS = (DutyKind.LEAVE, DutyKind.ABSENCE)


class DutySource(models.TextChoices):
    PLATFORM = "platform", _("Recorded by the platform")  # e.g. a suggestion submitted
    ACTIVITY = "activity", _("Activity attendance")  # checked in, confirmed by the organiser
    MANUAL = "manual", _("Entered by the office")


class ActivityState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CLOSED = "closed", _("Attendance closed")  # the organiser confirmed who came
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceOutcome(models.TextChoices):
    PENDING = "pending", _("Not yet confirmed")
    ATTENDED = "attended", _("Attended")
    ON_LEAVE = "on_leave", _("On approved leave")
    ABSENT = "absent", _("Absent without leave")


class LeaveState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
