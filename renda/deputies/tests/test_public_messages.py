"""Citizens' messages on a deputy's profile, kept as opinions addressed to the deputy (channel
deputy_code, issue 5): no account, CSRF, a honeypot, the opinions' limits per address and phone
(429 saying when to retry), a tracking code for the citizen; the deputy's inbox (those opinions
and the messages kept from before) and the office's list — nobody else; the name and phone only
to those two."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import WORLD_USERS
from renda.audit.models import AuditEvent
from renda.deputies.actions.public import leave_message, mark_message_read
from renda.deputies.models import CitizenMessage
from renda.deputies.tests.public_builders import deputyship_of
from renda.errors import Forbidden, InvalidInput
from renda.notifications.models import Notification
from renda.opinions.choices import Channel
from renda.opinions.models import Opinion

# The deputy and the congress's office read a deputy's messages (admins too).
READERS = {"deputy", "affairs", "admin"}


def _post(client: Client, d: Any, **data: Any) -> Any:
    payload = {"text": "小区门口路灯坏了三个月，请代表帮忙反映。", "name": "", "phone": ""}
    payload.update(data)
    return client.post(reverse("deputy_public:message", args=[d.public_code]), payload)


@pytest.fixture
def d(world: Any) -> Any:
    return deputyship_of(world, "deputy")


def test_a_citizen_leaves_a_message_the_deputy_is_told(world: Any, client: Any, d: Any) -> None:
    response = _post(client, d, name="王大妈", phone="13700001111")
    assert response.status_code == 302
    o = Opinion.objects.get()
    assert response["Location"] == f"/track/{o.tracking_code}/?sent=1"
    assert (o.deputy, o.congress, o.channel, o.name, o.phone) == (
        d,
        d.congress,
        Channel.DEPUTY_CODE,
        "王大妈",
        "13700001111",
    )
    assert o.category.name == "其他"  # none chosen
    assert not CitizenMessage.objects.exists()
    note = Notification.objects.get(recipient=world["deputy"])
    assert note.url == reverse("deputies:messages")
    assert "路灯" not in note.title + note.body  # the text stays in the inbox
    event = AuditEvent.objects.get(verb="opinion.received")
    assert "王大妈" not in str(event.data) and "13700001111" not in str(event.data)
    page = client.get(response["Location"]).content.decode()
    assert o.tracking_code in page and "13700001111" not in page
    inbox = Client()
    inbox.force_login(world["deputy"])
    assert "13700001111" in inbox.get(reverse("deputies:messages")).content.decode()


@pytest.mark.parametrize("username", WORLD_USERS)
def test_anyone_signed_in_may_leave_a_message_too(signed_in: Any, d: Any, username: str) -> None:
    assert _post(signed_in(username), d).status_code == 302
    assert Opinion.objects.filter(deputy=d).count() == 1


def test_the_honeypot_keeps_nothing(client: Any, d: Any) -> None:
    response = _post(client, d, website="http://spam.example")
    assert response.status_code == 302
    assert not CitizenMessage.objects.exists() and not Opinion.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"text": ""},
        {"text": "   "},
        {"text": "长" * 2001},
        {"text": "a\x00b"},
        {"phone": "call me maybe"},
        {"phone": "1" * 21},
        {"name": "名" * 51},
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_kept(
    client: Any, d: Any, data: dict[str, str]
) -> None:
    response = _post(client, d, **data)
    assert response.status_code == 422
    assert 'class="invalid-feedback' in response.content.decode() or "alert" in (
        response.content.decode()
    )
    assert not CitizenMessage.objects.exists() and not Opinion.objects.exists()


def test_csrf_is_required(d: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert _post(client, d).status_code == 403
    assert not Opinion.objects.exists()


def test_get_on_the_message_address_is_not_allowed(client: Any, d: Any) -> None:
    assert client.get(reverse("deputy_public:message", args=[d.public_code])).status_code == 405


def test_a_suspended_or_ended_deputy_takes_no_message(client: Any, d: Any) -> None:
    """DEP-SUSPEND / DEP-TERMINATE: only an active deputy takes messages."""
    for status in ("suspended", "ended"):
        d.status = status
        d.save()
        response = _post(client, d)
        assert response.status_code == 422
        assert "does not take messages" in response.content.decode()
    assert not Opinion.objects.exists()


def test_per_address_limits_answer_429_with_when_to_retry(
    client: Any, d: Any, settings: Any
) -> None:
    settings.RENDA_OPINION_SUBMIT_LIMITS = [(2, 600), (3, 86400)]
    start = timezone.now().replace(hour=2, minute=1, second=0, microsecond=0)
    with time_machine.travel(start, tick=False):
        assert _post(client, d).status_code == 302
        assert _post(client, d).status_code == 302
        refused = _post(client, d)
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 600
        html = refused.content.decode()
        assert "Please try again after" in html
        assert Opinion.objects.count() == 2
        # Another address is not held back.
        other = _post(Client(REMOTE_ADDR="10.1.2.3"), d)
        assert other.status_code == 302
    # The next ten minutes: one more, then the day's limit.
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        assert _post(client, d).status_code == 302
        refused = _post(client, d)
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 600
    assert Opinion.objects.count() == 4


def test_per_phone_limits_hold_across_addresses(client: Any, d: Any, settings: Any) -> None:
    settings.RENDA_OPINION_PHONE_LIMITS = [(1, 3600)]
    assert _post(Client(REMOTE_ADDR="10.0.0.1"), d, phone="13700001111").status_code == 302
    refused = _post(Client(REMOTE_ADDR="10.0.0.2"), d, phone="137-0000-1111")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_the_honeypot_counts_against_the_limit(client: Any, d: Any, settings: Any) -> None:
    settings.RENDA_OPINION_SUBMIT_LIMITS = [(1, 600)]
    assert _post(client, d, website="x").status_code == 302
    assert _post(client, d).status_code == 429


# --- the inbox ---------------------------------------------------------------------------------
@pytest.fixture
def message(d: Any) -> CitizenMessage:
    return leave_message(d, text="请关注学校门口交通安全。", name="李先生", phone="13700002222")


@pytest.mark.parametrize("username", WORLD_USERS)
def test_deputy_inbox_shows_own_messages_with_name_and_phone(
    signed_in: Any, message: Any, username: str
) -> None:
    response = signed_in(username).get(reverse("deputies:messages"))
    if username in ("deputy", "deputy2", "sc_member"):
        assert response.status_code == 200
        html = response.content.decode()
        mine = username == "deputy"
        assert ("请关注学校门口交通安全" in html) is mine
        assert ("13700002222" in html) is mine and ("李先生" in html) is mine
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("username", WORLD_USERS)
def test_office_list_is_for_the_congress_office_only(
    signed_in: Any, message: Any, username: str
) -> None:
    response = signed_in(username).get(reverse("deputies:office_messages"))
    if username in ("affairs", "admin"):
        assert response.status_code == 200
        html = response.content.decode()
        assert "请关注学校门口交通安全" in html and "13700002222" in html
    elif username == "county_affairs":
        assert response.status_code == 200  # its own congress: none of the city's messages
        assert "请关注学校门口交通安全" not in response.content.decode()
    else:
        assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in_for_every_inbox(client: Any, message: Any) -> None:
    for name in ("deputies:messages", "deputies:office_messages"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("username", WORLD_USERS)
def test_only_the_deputy_marks_read(signed_in: Any, message: Any, username: str) -> None:
    response = signed_in(username).post(reverse("deputies:message_read", args=[message.pk]))
    message.refresh_from_db()
    if username == "deputy":
        assert response.status_code == 302 and message.read_at is not None
        assert AuditEvent.objects.filter(verb="citizen_message.read").count() == 1
    elif username in ("affairs", "admin"):
        assert response.status_code == 302 and message.read_at is None  # refused, told why
    else:
        assert response.status_code == 404 and message.read_at is None


def test_mark_read_with_htmx_returns_the_row(signed_in: Any, message: Any) -> None:
    response = signed_in("deputy").post(
        reverse("deputies:message_read", args=[message.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'data-unread="0"' in response.content.decode()


def test_mark_read_does_not_redirect_elsewhere(signed_in: Any, message: Any) -> None:
    response = signed_in("deputy").post(
        reverse("deputies:message_read", args=[message.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("deputies:messages")


def test_mark_read_action_rules(world: Any, message: Any) -> None:
    with pytest.raises(Forbidden):
        mark_message_read(message, by=world["affairs"])
    mark_message_read(message, by=world["deputy"])
    first = CitizenMessage.objects.get().read_at
    mark_message_read(message, by=world["deputy"])  # twice: once
    assert CitizenMessage.objects.get().read_at == first
    assert AuditEvent.objects.filter(verb="citizen_message.read").count() == 1


def test_leave_message_action_checks_its_input(d: Any) -> None:
    for bad in (None, 5, "", "x" * 2001):
        with pytest.raises(InvalidInput):
            leave_message(d, text=bad)


# --- the API -----------------------------------------------------------------------------------
@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_api_messages_for_the_deputy_and_the_office(
    api: Any, d: Any, message: Any, username: str | None
) -> None:
    response = api(username).get(f"/deputies/{d.pk}/messages")
    if username is None:
        assert response.status_code == 401
    elif username in READERS:
        assert response.status_code == 200
        body = response.json()
        assert body["unread"] == 1 and body["results"][0]["phone"] == "13700002222"
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_api_mark_read(api: Any, message: Any, username: str | None) -> None:
    response = api(username).post(f"/deputies/messages/{message.pk}/read")
    expected = {None: 401, "deputy": 200, "affairs": 403, "admin": 403}.get(username, 404)
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["read_at"] is not None


def test_api_messages_bad_paging(api: Any, d: Any) -> None:
    client = api("deputy")
    assert client.get(f"/deputies/{d.pk}/messages", limit=0).status_code == 422
    assert client.get(f"/deputies/{d.pk}/messages", offset=-1).status_code == 422
    assert client.get("/deputies/999999999999999999999/messages").status_code == 404


REDIS = os.environ.get("RENDA_TEST_REDIS_URL", "")


@pytest.mark.skipif(not REDIS, reason="RENDA_TEST_REDIS_URL is not set")
def test_limits_on_redis_count_atomically_and_keep_their_window(settings: Any) -> None:
    """Production: the counters live in Redis (INCR keeps the key's expiry)."""
    from django.core.cache import caches

    from renda.deputies import ratelimits

    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": "renda-rl-test",
        },
    }
    settings.RENDA_MESSAGE_LIMITS = [(2, 600)]
    cache = caches["ratelimit"]
    cache.clear()
    address = "192.0.2.7"
    assert ratelimits.check("t", address).allowed
    ratelimits.count("t", address)
    ratelimits.count("t", address)
    verdict = ratelimits.check("t", address)
    assert not verdict.allowed and 0 < verdict.retry_after_seconds <= 601
    key = next(iter(cache._cache.get_client().scan_iter("*renda-rl-test*")))
    assert 0 < cache._cache.get_client().ttl(key) <= 601
    cache.clear()
