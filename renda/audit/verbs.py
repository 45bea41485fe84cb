"""Readable words for audit verbs, shown in each record's history. Each app registers the words
for the verbs its actions record (in its AppConfig.ready); a verb nobody registered is still
shown, by its code, so the history never hides an event."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

_LABELS: dict[str, Any] = {}


def register_verbs(labels: Mapping[str, Any]) -> None:
    """`labels`: verb code → lazy translated words (pgettext_lazy("history", ...))."""
    _LABELS.update(labels)


def verb_label(verb: str) -> str:
    label = _LABELS.get(verb)
    if label is not None:
        return str(label)
    return _("Other action (%(code)s)") % {"code": verb}


def known_verbs() -> frozenset[str]:
    return frozenset(_LABELS)
