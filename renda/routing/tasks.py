"""Background retraining (issue 7 point 2): when enough new assignments have accumulated since
the congress's last training (`ROUTING_RETRAIN_AFTER`, default 200), the model is trained again
by the django-tasks worker (`manage.py db_worker`). `retrain_if_due` is enqueued after each
assignment (cheap: two counts) and by `manage.py train_routing --if-due` from cron."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from renda.orgs.models import Congress

from .actions import train_model
from .queries import latest_model
from .training import count_samples, min_samples, retrain_after

logger = logging.getLogger(__name__)


def is_due(congress_id: int) -> bool:
    """Enough new samples since the last training (or enough for a first one)."""
    latest = latest_model(congress_id)
    n = count_samples(congress_id)
    if latest is None:
        return n >= min_samples()
    return abs(n - latest.seen) >= retrain_after()


@task()
def retrain_if_due(congress_id: int) -> dict[str, Any]:
    congress = Congress.objects.filter(pk=congress_id).first()
    if congress is None or not is_due(congress_id):
        return {"trained": False}
    result = train_model(congress)
    logger.info("routing model of congress %s: %s samples", congress_id, result.samples)
    return {"trained": result.trained is not None, "samples": result.samples}
