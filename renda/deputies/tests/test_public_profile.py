"""DEP-PUBLIC: the deputy's public profile at /d/<code>/ shows the published fields, the year's
duties and the score — and nothing private, ever."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from conftest import WORLD_USERS
from renda.deputies.models import (
    PUBLISHABLE_FIELDS,
    DeputyScore,
    DutyRecord,
    ExpertiseTag,
    ScoreRuleTable,
)
from renda.deputies.tests.public_builders import (
    activity,
    delegation,
    deputyship_of,
    duty,
    extra_deputy,
    group,
)
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.answer_builders import answered, assigned

PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _url(d: Any, **q: Any) -> str:
    url = reverse("deputy_public:profile", args=[d.public_code])
    if q:
        url += "?" + "&".join(f"{k}={v}" for k, v in q.items())
    return url


@pytest.fixture
def exposed(world: Any, settings: Any, tmp_path: Any) -> Any:
    """A deputy with every private field filled AND every publishable field published."""
    settings.MEDIA_ROOT = str(tmp_path)
    dl = delegation(world, "鹿城代表团")
    d = extra_deputy(world, "林志远", delegation=dl)
    user = d.person.user
    user.username = "lzy-private-login-7731"
    user.phone = "13912345678"
    user.email = "lzy.private@example.org"
    user.save()
    person = d.person
    person.id_number = "330302199003074514"
    person.birth_month = date(1990, 3, 1)
    person.address = "温州市鹿城区幸福路88号"
    person.gender = "male"
    person.ethnicity = "汉族"
    person.party = "cpc"
    person.workplace = "温州市某医院 主任医师"
    person.sector = "professional"
    person.photo.save("p.png", ContentFile(PNG_1PX), save=False)
    person.save()
    person.expertise.add(ExpertiseTag.objects.create(name="临床医学"))
    group(world, "临床医学专业小组", d)
    d.public_fields = list(PUBLISHABLE_FIELDS)
    d.save()
    return d


@pytest.mark.parametrize("username", [None, *WORLD_USERS])
def test_profile_opens_for_everyone_including_anonymous(
    world: Any, client: Any, signed_in: Any, username: str | None
) -> None:
    """DEP-PUBLIC: the profile is public by law; no sign-in."""
    c = client if username is None else signed_in(username)
    d = deputyship_of(world, "deputy")
    response = c.get(_url(d))
    assert response.status_code == 200
    assert d.person.name in response.content.decode()


def test_no_private_data_anywhere_in_the_profile_html(client: Any, exposed: Any) -> None:
    """DEP-PUBLIC: ID-card number, birth month, phone, address, username and e-mail never
    appear, even with every publishable field published."""
    html = client.get(_url(exposed)).content.decode()
    assert "林志远" in html and "汉族" in html and "主任医师" in html  # published: shown
    for secret in (
        "330302199003074514",
        "330302********4514",
        "4514",
        "1990-03",
        "1990年3月",
        "199003",
        "1990",
        "13912345678",
        "139****5678",
        "5678",
        "幸福路",
        "lzy-private-login-7731",
        "lzy.private@example.org",
    ):
        assert secret not in html, secret
    # The API's public profile carries no more.
    body = client.get(f"/api/v1/deputies/public/{exposed.public_code}").content.decode()
    for secret in ("330302199003074514", "1990-03", "13912345678", "幸福路", "lzy-private"):
        assert secret not in body, secret


def test_only_the_published_fields_are_shown(world: Any, client: Any, exposed: Any) -> None:
    exposed.public_fields = ["gender"]
    exposed.save()
    html = client.get(_url(exposed)).content.decode()
    assert 'data-field="gender"' in html
    for hidden in ("汉族", "主任医师", "鹿城代表团", "临床医学", 'data-field="party"'):
        assert hidden not in html, hidden
    assert 'data-testid="deputy-photo"' not in html


def test_photo_is_served_only_while_published(world: Any, client: Any, exposed: Any) -> None:
    """DEP-PUBLIC: the photo through a checking view, never a public media URL."""
    html = client.get(_url(exposed)).content.decode()
    photo = reverse("deputy_public:photo", args=[exposed.public_code])
    assert photo in html
    response = client.get(photo)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "no-cache"
    assert b"".join(response.streaming_content) == PNG_1PX
    assert "/media/" not in html
    exposed.public_fields = ["gender"]
    exposed.save()
    assert client.get(photo).status_code == 404


def test_a_file_that_is_not_an_image_is_not_served_as_a_photo(client: Any, exposed: Any) -> None:
    person = exposed.person
    person.photo.save("x.png", ContentFile(b"<script>alert(1)</script>"), save=True)
    assert client.get(reverse("deputy_public:photo", args=[exposed.public_code])).status_code == 404


def test_duties_of_the_year_by_kind_with_dated_activity_titles(world: Any, client: Any) -> None:
    d = deputyship_of(world, "deputy")
    year = timezone.localdate().year
    act = activity(world, kind="inspection", day=date(year, 1, 15), title="视察城市内涝治理")
    duty(d, "inspection", date(year, 1, 15), "视察城市内涝治理", activity=act, source="activity")
    duty(d, "training", date(year, 1, 20), "代表履职培训")
    duty(d, "reception", date(year - 1, 5, 1), "去年进站接待")
    duty(d, "absence", date(year, 1, 22), "无故缺席")
    html = client.get(_url(d)).content.decode()
    assert "视察城市内涝治理" in html and f"{year}-01-15" in html
    # A manual entry shows its kind, not its title (it may name people).
    assert "代表履职培训" not in html and "Training" in html
    assert "去年进站接待" not in html
    # Absences and leave are not duties.
    assert "无故缺席" not in html and "Absence without leave" not in html
    last = client.get(_url(d, year=year - 1)).content.decode()
    assert "Receiving citizens at a liaison station" in last


def test_a_suggestions_title_only_when_its_answers_are_public(world: Any, client: Any) -> None:
    """SUG-PUBLIC: a suggestion's title appears only once its answers are published."""
    d = deputyship_of(world, "deputy")
    public = answered(world)
    pending = assigned(world)
    # Submitting recorded each one's duty ("suggestion:<id>"); give them telling titles.
    for s, title in ((public, "关于已答复公开建议的标题"), (pending, "关于尚在办理建议的标题")):
        Suggestion.objects.filter(pk=s.pk).update(title=title)
        assert DutyRecord.objects.filter(
            deputyship=d, source_ref=f"suggestion:{s.pk}", kind="suggestion"
        ).update(title=title)
    html = client.get(_url(d)).content.decode()
    assert "关于已答复公开建议的标题" in html
    assert "关于尚在办理建议的标题" not in html
    assert html.count("Suggestion submitted") >= 3  # the kind is listed for both (and counted)


def test_ended_and_suspended_deputyships_say_so_and_take_no_messages(
    world: Any, client: Any
) -> None:
    d = deputyship_of(world, "deputy2")
    d.status, d.status_since, d.end_ground = "ended", date(2026, 3, 1), "resigned"
    d.save()
    html = client.get(_url(d)).content.decode()
    assert 'data-testid="deputy-status"' in html and "Deputyship ended" in html
    assert "2026-03-01" in html
    assert "Resignation accepted" not in html  # the ground is not published
    assert 'data-testid="message-form"' not in html
    d.status, d.end_ground, d.suspend_ground = "suspended", "", "detained"
    d.save()
    html = client.get(_url(d)).content.decode()
    assert "Duties suspended" in html and "Detained" not in html
    assert 'data-testid="message-form"' not in html


def test_score_is_shown_when_computed(world: Any, client: Any) -> None:
    d = deputyship_of(world, "deputy")
    year = timezone.localdate().year
    table = ScoreRuleTable.objects.create(congress=world.city, name="2026", rules={})
    DeputyScore.objects.create(
        deputyship=d,
        year=year,
        rule_table=table,
        total=Decimal("86.50"),
        grade="优秀",
        computed_at=timezone.now(),
    )
    html = client.get(_url(d)).content.decode()
    assert "86.5" in html and "优秀" in html
    assert 'data-testid="deputy-score"' not in client.get(_url(d, year=year - 1)).content.decode()


@pytest.mark.parametrize("code", ["nope", "x" * 21, "%00", "..", "a b"])
def test_unknown_or_malformed_codes_are_404(world: Any, client: Any, code: str) -> None:
    assert client.get(f"/d/{code}/").status_code == 404
    assert client.get(f"/api/v1/deputies/public/{code}").status_code == 404


def test_malformed_year_falls_back_to_this_year(world: Any, client: Any) -> None:
    d = deputyship_of(world, "deputy")
    for year in ("abc", "99999999999999999999", "-1", "1800", "3000"):
        response = client.get(_url(d, year=year))
        assert response.status_code == 200
        assert str(timezone.localdate().year) in response.content.decode()


def test_profile_query_count_does_not_grow_with_duties(
    world: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    d = deputyship_of(world, "deputy")
    year = timezone.localdate().year
    for i in range(60):
        duty(d, "reception", date(year, 1, 1 + i % 28), f"接待 {i}")
    with django_assert_max_num_queries(12):
        response = client.get(_url(d))
    assert response.status_code == 200
    assert "and 0 more" not in response.content.decode()


def test_api_public_profile_matches_the_page(world: Any, client: Any, exposed: Any) -> None:
    year = timezone.localdate().year
    duty(exposed, "training", date(year, 2, 1), "培训")
    body = client.get(f"/api/v1/deputies/public/{exposed.public_code}").json()
    assert body["name"] == "林志远" and body["term"] == world.term.number
    assert body["fields"]["ethnicity"] == "汉族"
    assert "id_number" not in body["fields"] and "address" not in body["fields"]
    assert body["duties_by_kind"] == {"training": 1}
    assert body["duties"][0]["title"] == ""
    assert body["photo_url"].endswith("/photo")
