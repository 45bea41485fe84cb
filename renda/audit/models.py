"""The append-only, hash-chained audit trail (操作日志)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

MAIN_CHAIN = 1


class AuditEvent(models.Model):
    """One action by one actor on one object; chained to the event before it in its chain by
    hash. Chain 1 is the main chain; chains 2 and up are the public lanes (renda.audit.actions:
    citizens' submissions, appended in parallel)."""

    chain = models.PositiveSmallIntegerField(default=MAIN_CHAIN)
    seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,  # indexed where set (below): citizens' events have no actor
    )
    actor_name = models.CharField(max_length=150, blank=True)
    verb = models.CharField(_("action"), max_length=60)
    object_type = models.ForeignKey(  # leads the (object_type, object_id, seq) index below
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"]),
            models.Index(
                fields=["actor"], condition=models.Q(actor__isnull=False), name="audit_actor_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq_unique")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.object_repr}"


class AuditChainHead(models.Model):
    """A chain's head (its id is the chain's number): the row that serialises the chain's
    appends and remembers its newest event (finds truncation)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq}"
