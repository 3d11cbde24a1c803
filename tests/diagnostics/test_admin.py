"""Staff edit drafts in the admin; published and retired versions open read-only and refuse changes."""

import pytest
from django.conf import settings
from django.urls import reverse

from diagnostics.models import Axis, LevelDescriptor, Referential
from tests.diagnostics.factories import PublishedReferentialFactory, ReferentialFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def admin_client(client, staff):
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def change_url(obj):
    return reverse(f"admin:diagnostics_{obj._meta.model_name}_change", args=[obj.pk])


def referential_form(referential, **changes):
    data = {
        "code": referential.code,
        "version": referential.version,
        "title_fr": referential.title_fr,
        "title_en": referential.title_en,
        "description_fr": referential.description_fr,
        "description_en": referential.description_en,
    }
    for prefix, manager in [
        ("bands", referential.bands),
        ("axes", referential.axes),
        ("modules", referential.modules),
        ("transitions", referential.transitions),
    ]:
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = manager.count()
    for index, band in enumerate(referential.bands.all()):
        data.update(
            {
                f"bands-{index}-id": band.pk,
                f"bands-{index}-referential": referential.pk,
                f"bands-{index}-level": band.level,
            }
        )
        data.update(
            {f"bands-{index}-{f}": getattr(band, f) for f in ["name_fr", "name_en", "description_fr", "description_en"]}
        )
    for index, axis in enumerate(referential.axes.all()):
        data.update({f"axes-{index}-id": axis.pk, f"axes-{index}-referential": referential.pk})
        data.update(
            {f"axes-{index}-{f}": getattr(axis, f) for f in ["order", "code", "title_fr", "title_en", "weight"]}
        )
    for index, transition in enumerate(referential.transitions.all()):
        data[f"transitions-{index}-id"] = transition.pk
    data.update(changes)
    return data


@pytest.mark.parametrize("status", ["published", "retired"])
def test_locked_version_opens_read_only(admin_client, status):
    referential = ReferentialFactory(axes=1, questions=1, status=status)
    response = admin_client.get(change_url(referential))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()
    assert "Derive a new draft" in response.content.decode()


def test_posting_a_change_to_a_published_version_is_forbidden(admin_client):
    published = PublishedReferentialFactory(axes=1, questions=1)
    response = admin_client.post(change_url(published), referential_form(published, title_en="Changed"))
    assert response.status_code == 403
    assert Referential.objects.get(pk=published.pk).title_en == "Test referential"


@pytest.mark.parametrize("part", ["axis", "question"])
def test_content_of_a_published_version_opens_read_only(admin_client, part):
    published = PublishedReferentialFactory(axes=1, questions=1)
    row = published.axes.get() if part == "axis" else published.questions.get()
    response = admin_client.get(change_url(row))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert admin_client.post(change_url(row), {}).status_code == 403


def test_deleting_a_published_version_in_the_admin_is_forbidden(admin_client):
    published = PublishedReferentialFactory(axes=1, questions=1)
    url = reverse("admin:diagnostics_referential_delete", args=[published.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Referential.objects.filter(pk=published.pk).exists()


def test_staff_edit_a_draft_in_the_admin(admin_client):
    draft = ReferentialFactory(axes=1, questions=1)
    response = admin_client.post(change_url(draft), referential_form(draft, title_en="Edited title"))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert Referential.objects.get(pk=draft.pk).title_en == "Edited title"


def test_staff_publish_a_draft_with_the_admin_action(admin_client):
    draft = ReferentialFactory(axes=1, questions=1)
    changelist = reverse("admin:diagnostics_referential_changelist")
    admin_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert Referential.objects.get(pk=draft.pk).status == Referential.Status.PUBLISHED


def test_publish_action_reports_the_problems_of_an_incomplete_draft(admin_client):
    draft = ReferentialFactory(axes=1, questions=1)
    LevelDescriptor.objects.filter(question__referential=draft, level=2).delete()
    changelist = reverse("admin:diagnostics_referential_changelist")
    response = admin_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert "level 2 is missing" in response.content.decode()
    assert Referential.objects.get(pk=draft.pk).status == Referential.Status.DRAFT


def test_staff_derive_a_new_draft_from_a_published_version(admin_client):
    published = PublishedReferentialFactory(axes=1, questions=2)
    url = reverse("admin:diagnostics_referential_derive", args=[published.pk])
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(url, {"new_version": "2027.1"})

    draft = Referential.objects.get(code=published.code, version="2027.1")
    assert response.status_code == 302
    assert response.url == change_url(draft)
    assert draft.status == Referential.Status.DRAFT
    assert draft.questions.count() == 2


def test_deriving_an_existing_version_in_the_admin_shows_an_error(admin_client):
    published = PublishedReferentialFactory(axes=1, questions=1)
    url = reverse("admin:diagnostics_referential_derive", args=[published.pk])
    response = admin_client.post(url, {"new_version": published.version})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_new_axes_can_only_be_added_to_drafts(admin_client):
    PublishedReferentialFactory(axes=1, questions=1)
    draft = ReferentialFactory(axes=0)
    response = admin_client.get(reverse("admin:diagnostics_axis_add"))
    choices = list(response.context["adminform"].form.fields["referential"].queryset)
    assert choices == [draft]


def test_non_staff_user_cannot_open_the_referential_admin(client, plain_user):
    client.force_login(plain_user)
    response = client.get(reverse("admin:diagnostics_referential_changelist"))
    assert response.status_code == 302
    assert "login" in response.url


def test_referential_admin_lists_and_draft_pages_open(admin_client):
    draft = ReferentialFactory(axes=1, questions=1)
    question = draft.questions.get()
    for url in [
        reverse("admin:diagnostics_referential_changelist"),
        reverse("admin:diagnostics_axis_changelist"),
        reverse("admin:diagnostics_question_changelist"),
        reverse("admin:diagnostics_technologytheme_changelist"),
        change_url(question),
        change_url(Axis.objects.get(referential=draft)),
    ]:
        assert admin_client.get(url).status_code == 200, url
