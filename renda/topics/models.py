"""Hot topics (热点分析, issue 7 point 5): keyword counts per congress, month, source, lead
unit and region, precomputed from the segmented text so the dashboard reads a small table at
1 M rows."""

from __future__ import annotations

from django.db import models

from renda.orgs.models import Congress


class Source(models.TextChoices):
    SUGGESTION = "suggestion", "suggestion"
    OPINION = "opinion", "opinion"


class KeywordMonth(models.Model):
    """How many texts of one month, source, lead unit (0: none) and region (0: none) contain
    `word`. The region is the lead deputy's delegation (代表团) for a suggestion, the liaison
    station for a citizen's opinion (docs/topics.md, "By region")."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    source = models.CharField(max_length=12, choices=Source.choices)
    unit_id = models.IntegerField(default=0)
    region_id = models.IntegerField(default=0)
    word = models.CharField(max_length=40)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "month", "source", "unit_id", "region_id", "word"],
                name="keyword_month_key",
            )
        ]
        indexes = [models.Index(fields=["congress", "month"], name="keyword_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.source} {self.word} {self.count}"
