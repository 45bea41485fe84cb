"""Assignment proposals (智能交办, issue 7): the imported archive, the trained models' records and
each proposal shown to the office beside the office's final choice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.orgs.models import Congress, HandlingUnit
from renda.suggestions.models import BODY_MAX, TITLE_MAX, Suggestion


class PastSuggestion(models.Model):
    """A past year's suggestion brought in from an archive (`import_history`): a closed record
    with its lead unit, which counts as a past assignment for the proposals. Not a Suggestion:
    an archive has no deputy, deadlines or answers, and the statistics must not count it."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text"), max_length=BODY_MAX, blank=True)
    lead_unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+")
    # sha256 of year + normalised title + unit name: re-importing a file adds nothing twice.
    key = models.CharField(max_length=64)
    source = models.CharField(_("source file"), max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("past suggestion")
        verbose_name_plural = _("past suggestions")
        constraints = [
            models.UniqueConstraint(fields=["congress", "key"], name="past_suggestion_unique_key")
        ]
        indexes = [models.Index(fields=["congress", "year"], name="past_suggestion_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class TrainedModel(models.Model):
    """One training of a congress's proposal model: when, on how many samples, how accurate on
    a held-out fifth; the file itself is in the data directory."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="+")
    trained_at = models.DateTimeField()
    samples = models.PositiveIntegerField()  # used (the newest ROUTING_MAX_SAMPLES at most)
    seen = models.PositiveIntegerField(default=0)  # there were (retraining counts from it)
    units = models.PositiveIntegerField()
    top1 = models.FloatField(null=True)
    top3 = models.FloatField(null=True)
    seconds = models.FloatField(default=0)
    path = models.CharField(max_length=300)

    class Meta:
        ordering = ["-trained_at"]
        indexes = [models.Index(fields=["congress", "-trained_at"], name="trained_model_latest")]

    def __str__(self) -> str:
        return f"{self.congress_id} {self.trained_at:%Y-%m-%d %H:%M} ({self.samples})"


class Proposal(models.Model):
    """The units proposed for a suggestion when the office opened its assign form, and the
    lead units the office finally chose (filled by the assignment): accuracy in use."""

    suggestion = models.OneToOneField(Suggestion, on_delete=models.CASCADE, related_name="+")
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="+")
    model = models.ForeignKey(TrainedModel, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed = models.JSONField(default=list)  # unit ids, best first
    scores = models.JSONField(default=list)
    proposed_at = models.DateTimeField()
    chosen = models.JSONField(null=True)  # lead unit ids
    chosen_at = models.DateTimeField(null=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["congress", "chosen_at"], name="proposal_chosen")]

    def __str__(self) -> str:
        return f"{self.suggestion_id}: {self.proposed} → {self.chosen}"
