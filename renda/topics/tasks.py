"""The hot topics' nightly recount as a django-tasks job (`manage.py db_worker` runs it)."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from renda.orgs.models import Congress

from .build import rebuild


@task()
def rebuild_hot_topics(congress_id: int, since: str | None = None) -> int:
    congress = Congress.objects.get(pk=congress_id)
    return rebuild(congress, date.fromisoformat(since) if since else None)
