"""Training, storing and loading a congress's proposal model (issue 7 point 2).

Samples are this congress's own past assignments: each lead-unit assignment of a suggestion
that was not returned (the unit said it was not its business), plus the imported archive
(PastSuggestion). Only the most recent `ROUTING_MAX_SAMPLES` are used, so a retrain stays within
its time and memory budget at a million suggestions (docs/routing.md).
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from renda.orgs.models import Congress
from renda.suggestions.choices import AssignmentState, UnitRole
from renda.suggestions.models import Assignment

from .models import PastSuggestion, TrainedModel
from .texts import text_of


def min_samples() -> int:
    return int(getattr(settings, "ROUTING_MIN_SAMPLES", 50))


def min_units() -> int:
    return int(getattr(settings, "ROUTING_MIN_UNITS", 2))


def max_samples() -> int:
    return int(getattr(settings, "ROUTING_MAX_SAMPLES", 100_000))


# The held-out accuracy stored with a model is measured on at most this many samples.
HELD_OUT_MAX = 10_000


def retrain_after() -> int:
    return int(getattr(settings, "ROUTING_RETRAIN_AFTER", 200))


@dataclass
class Sample:
    text: str
    unit: int
    on: Any  # a date or datetime: when it was assigned (or the archive's year)
    kind: str  # "assignment" or "archive"


def lead_assignments(congress_id: int) -> Any:
    """The past assignments proposals learn from: lead units not returned."""
    return Assignment.objects.filter(
        suggestion__congress_id=congress_id, role=UnitRole.LEAD
    ).filter(~Q(state=AssignmentState.RETURNED))


def count_samples(congress_id: int) -> int:
    return (
        lead_assignments(congress_id).count()
        + PastSuggestion.objects.filter(congress_id=congress_id).count()
    )


def samples(congress_id: int, limit: int | None = None) -> Iterator[Sample]:
    """The newest `limit` samples (assignments first, newest first; then the archive)."""
    limit = max_samples() if limit is None else limit
    rows = (
        lead_assignments(congress_id)
        .order_by("-assigned_on", "-pk")
        .values_list("suggestion__title", "suggestion__body", "unit_id", "assigned_on")[:limit]
    )
    n = 0
    for title, body, unit, on in rows.iterator(chunk_size=5000):
        n += 1
        yield Sample(text_of(title, body), unit, on, "assignment")
    if n >= limit:
        return
    archive = (
        PastSuggestion.objects.filter(congress_id=congress_id)
        .order_by("-year", "-pk")
        .values_list("title", "body", "lead_unit_id", "year")[: limit - n]
    )
    for title, body, unit, year in archive.iterator(chunk_size=5000):
        yield Sample(text_of(title, body), unit, year, "archive")


def too_little(n_samples: int, n_units: int) -> str | None:
    """Why nothing is proposed (too little history), or None."""
    if n_samples < min_samples():
        return "samples"
    if n_units < min_units():
        return "units"
    return None


def model_path(congress_id: int) -> Path:
    return Path(settings.DATA_DIR) / "routing" / f"congress-{congress_id}.joblib"


@dataclass
class Training:
    trained: TrainedModel | None
    samples: int
    units: int
    reason: str | None = None  # set when nothing was trained


def train(congress: Congress, *, seed: int = 0) -> Training:
    """Measure on a held-out fifth (at most `HELD_OUT_MAX` samples), fit on all samples, write
    the file atomically. The texts are read and segmented once (classifier.Router.fit_measured).
    """
    # scikit-learn, numpy and joblib (~75 MB) load only where a model is trained or consulted,
    # not in every web worker.
    import joblib
    import numpy as np

    from .classifier import Router

    started = time.monotonic()
    seen = count_samples(congress.pk)
    texts: list[str] = []
    labels: list[str] = []
    for s in samples(congress.pk):
        texts.append(s.text)
        labels.append(str(s.unit))
    units = len(set(labels))
    why = too_little(len(texts), units)
    if why:
        return Training(None, len(texts), units, why)
    rng = np.random.default_rng(seed)
    held_out = rng.choice(len(texts), size=min(len(texts) // 5, HELD_OUT_MAX), replace=False)
    router = Router()
    top1, top3 = router.fit_measured(texts, labels, held_out)
    del texts
    now = timezone.now()
    path = model_path(congress.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"trained_at": now, "samples": len(labels), "units": units, "top1": top1, "top3": top3}
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    joblib.dump({"router": router, "meta": meta}, tmp, compress=3)
    os.replace(tmp, path)
    trained = TrainedModel(
        congress=congress,
        trained_at=now,
        samples=len(labels),
        seen=seen,
        units=units,
        top1=top1,
        top3=top3,
        seconds=time.monotonic() - started,
        path=str(path),
    )
    return Training(trained, len(labels), units)


# --- loading: once per worker, kept while the file is unchanged ------------------------------
_cache: OrderedDict[int, tuple[float, dict[str, Any]]] = OrderedDict()
_cache_lock = threading.Lock()
CACHED_MODELS = 4


def load(congress_id: int) -> dict[str, Any] | None:
    """The congress's model ({"router", "meta"}) or None; reloaded when the file changes."""
    path = model_path(congress_id)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        with _cache_lock:
            _cache.pop(congress_id, None)
        return None
    with _cache_lock:
        hit = _cache.get(congress_id)
        if hit and hit[0] == mtime:
            _cache.move_to_end(congress_id)
            return hit[1]
    import joblib

    from .classifier import FORMAT

    loaded = joblib.load(path)
    if getattr(loaded["router"], "format", 1) != FORMAT:
        return None  # written by an older version: proposes nothing until retrained
    with _cache_lock:
        _cache[congress_id] = (mtime, loaded)
        while len(_cache) > CACHED_MODELS:
            _cache.popitem(last=False)
    return loaded


def trained_at(meta: dict[str, Any]) -> datetime:
    return meta["trained_at"]
