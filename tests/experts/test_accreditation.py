"""Referencing by the Alliance: the transition table, its history, the staff pages, the expert's e-mail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from experts import services
from experts.exceptions import IllegalTransition, InvalidInput, NotAllowed
from experts.models import Accreditation, AccreditationTransition, Expert
from tests.experts.factories import ExpertFactory

pytestmark = pytest.mark.django_db

Status = Accreditation.Status


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


def test_staff_references_an_expert_and_the_change_is_recorded(staff):
    expert = ExpertFactory()
    accreditation = services.change_accreditation(
        expert=expert, by=staff, status=Status.REFERENCED, valid_until=in_days(365), comment="Dossier complet."
    )
    assert accreditation.is_current
    change = AccreditationTransition.objects.get(expert=expert)
    assert (change.from_status, change.to_status, change.by, change.comment) == (
        "",
        Status.REFERENCED,
        staff,
        "Dossier complet.",
    )
    assert change.valid_until == in_days(365)


def test_every_change_adds_a_history_row(staff):
    expert = ExpertFactory()
    services.change_accreditation(expert=expert, by=staff, status=Status.REFERENCED, valid_until=in_days(30))
    services.change_accreditation(expert=expert, by=staff, status=Status.SUSPENDED, comment="Plainte en cours.")
    services.change_accreditation(expert=expert, by=staff, status=Status.REFERENCED, valid_until=in_days(400))
    history = list(AccreditationTransition.objects.filter(expert=expert).values_list("from_status", "to_status"))
    assert history == [("", "referenced"), ("referenced", "suspended"), ("suspended", "referenced")]
    assert Accreditation.objects.get(expert=expert).valid_until == in_days(400)


def test_suspending_keeps_the_validity_date(staff):
    expert = ExpertFactory()
    services.change_accreditation(expert=expert, by=staff, status=Status.REFERENCED, valid_until=in_days(30))
    accreditation = services.change_accreditation(expert=expert, by=staff, status=Status.SUSPENDED)
    assert (accreditation.status, accreditation.valid_until) == (Status.SUSPENDED, in_days(30))
    assert not accreditation.is_current


@pytest.mark.parametrize("status", [Status.SUSPENDED, Status.EXPIRED])
def test_an_expert_never_referenced_can_only_be_referenced(staff, status):
    with pytest.raises(IllegalTransition):
        services.change_accreditation(expert=ExpertFactory(), by=staff, status=status, valid_until=in_days(30))
    assert not AccreditationTransition.objects.exists()


def test_an_expired_accreditation_cannot_be_suspended(staff):
    expert = ExpertFactory()
    services.change_accreditation(expert=expert, by=staff, status=Status.REFERENCED, valid_until=in_days(30))
    services.change_accreditation(expert=expert, by=staff, status=Status.EXPIRED)
    with pytest.raises(IllegalTransition):
        services.change_accreditation(expert=expert, by=staff, status=Status.SUSPENDED)


def test_referencing_needs_a_validity_date_from_today_on(staff):
    expert = ExpertFactory()
    with pytest.raises(InvalidInput):
        services.change_accreditation(expert=expert, by=staff, status=Status.REFERENCED, valid_until=in_days(-1))
    with pytest.raises(InvalidInput):
        services.change_accreditation(expert=expert, by=staff, status=Status.REFERENCED)
    assert not Accreditation.objects.filter(expert=expert).exists()


@pytest.mark.parametrize("role", ["officer", "expert", "owner", "plain_user"])
def test_only_staff_change_accreditations(request, role):
    user = request.getfixturevalue(role)
    with pytest.raises(NotAllowed):
        services.change_accreditation(
            expert=ExpertFactory(), by=user, status=Status.REFERENCED, valid_until=in_days(30)
        )


def test_a_referenced_accreditation_past_its_date_counts_as_expired(staff):
    expert = ExpertFactory()
    services.change_accreditation(expert=expert, by=staff, status=Status.REFERENCED, valid_until=in_days(0))
    Accreditation.objects.filter(expert=expert).update(valid_until=in_days(-1))
    accreditation = Accreditation.objects.get(expert=expert)
    assert not accreditation.is_current
    assert accreditation.effective_status == Status.EXPIRED
    assert not Expert.objects.referenced().filter(pk=expert.pk).exists()


def test_the_expert_is_told_by_email_after_commit(staff, django_capture_on_commit_callbacks):
    expert = ExpertFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.change_accreditation(expert=expert, by=staff, status=Status.REFERENCED, valid_until=in_days(30))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [expert.user.email]
    assert "référence" in mail.outbox[0].body


def test_the_accreditation_email_is_sent_once_when_the_task_runs_twice(staff, django_capture_on_commit_callbacks):
    from experts.tasks import notify_accreditation_change

    expert = ExpertFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.change_accreditation(expert=expert, by=staff, status=Status.REFERENCED, valid_until=in_days(30))
    notify_accreditation_change(AccreditationTransition.objects.get(expert=expert).pk)
    assert len(mail.outbox) == 1


def test_staff_registers_a_new_expert_with_a_new_account(staff):
    expert = services.register_expert(
        email="Nouvel.Expert@Example.fr", first_name="Léa", last_name="Morin", organisation="LM Conseil", by=staff
    )
    assert expert.user.email == "nouvel.expert@example.fr"
    assert not expert.user.has_usable_password()
    assert not Accreditation.objects.filter(expert=expert).exists()


def test_registering_someone_who_already_is_an_expert_is_refused(staff, expert):
    with pytest.raises(InvalidInput):
        services.register_expert(email=expert.email, first_name="", last_name="", organisation="X", by=staff)


# --- Pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "expert", "owner", "plain_user"])
def test_the_accreditation_pages_are_refused_to_everyone_but_staff(client, request, role):
    client.force_login(request.getfixturevalue(role))
    expert = ExpertFactory()
    assert client.get(reverse("experts:accreditations")).status_code == 403
    assert client.get(reverse("experts:edit_accreditation", args=[expert.pk])).status_code == 403
    assert client.post(reverse("experts:register_expert"), {}).status_code == 403


def test_staff_references_an_expert_through_the_page(client, staff):
    expert = ExpertFactory()
    client.force_login(staff)
    response = client.post(
        reverse("experts:edit_accreditation", args=[expert.pk]),
        {"status": "referenced", "valid_until": in_days(200).isoformat(), "comment": "OK"},
    )
    assert response.status_code == 302
    assert Accreditation.objects.get(expert=expert).is_current
    page = client.get(reverse("experts:edit_accreditation", args=[expert.pk])).content.decode()
    assert "OK" in page  # the history shows the comment


def test_the_accreditation_form_offers_only_the_allowed_moves(client, staff):
    expert = ExpertFactory()
    client.force_login(staff)
    response = client.get(reverse("experts:edit_accreditation", args=[expert.pk]))
    assert [value for value, _label in response.context["form"].fields["status"].choices] == ["referenced"]


def test_an_illegal_move_through_the_page_shows_an_error_and_changes_nothing(client, staff):
    expert = ExpertFactory()
    client.force_login(staff)
    response = client.post(
        reverse("experts:edit_accreditation", args=[expert.pk]),
        {"status": "referenced", "valid_until": in_days(-3).isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Accreditation.objects.filter(expert=expert).exists()


def test_staff_registers_an_expert_through_the_page(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("experts:register_expert"),
        {"email": "a.b@example.fr", "first_name": "A", "last_name": "B", "organisation": "AB Conseil"},
    )
    expert = Expert.objects.get(user__email="a.b@example.fr")
    assert response.url == reverse("experts:edit_accreditation", args=[expert.pk])


def test_the_registration_message_does_not_guess_the_experts_gender(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("experts:register_expert"),
        {"email": "c.d@example.fr", "first_name": "Camille", "last_name": "Dupont", "organisation": "CD Conseil"},
        follow=True,
    )
    assert "Profil enregistré pour Camille Dupont ; référencez-le maintenant." in [
        str(message) for message in response.context["messages"]
    ]


def test_the_staff_list_shows_every_expert_with_a_bounded_number_of_queries(
    client, staff, django_assert_max_num_queries
):
    ExpertFactory.create_batch(15)
    client.force_login(staff)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("experts:accreditations"))
    assert response.status_code == 200
    assert len(response.context["experts"]) == 15


def test_the_registration_message_is_shown_with_french_spacing(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("experts:register_expert"),
        {"email": "e.f@example.fr", "first_name": "Eva", "last_name": "Fort", "organisation": "EF Conseil"},
        follow=True,
    )
    assert "Profil enregistré pour Eva Fort\u202f; référencez-le maintenant." in response.content.decode()


# --- States and dates that agree; the staff's filters ---------------------------------------------------


def test_expiring_ends_the_accreditation_yesterday(staff):
    expert = ExpertFactory()
    services.change_accreditation(expert=expert, by=staff, status=Status.REFERENCED, valid_until=in_days(700))
    accreditation = services.change_accreditation(expert=expert, by=staff, status=Status.EXPIRED)
    assert (accreditation.status, accreditation.valid_until) == (Status.EXPIRED, in_days(-1))


def test_expiring_keeps_a_date_already_past(staff):
    expert = ExpertFactory()
    services.change_accreditation(expert=expert, by=staff, status=Status.REFERENCED, valid_until=in_days(0))
    Accreditation.objects.filter(expert=expert).update(valid_until=in_days(-10))
    accreditation = services.change_accreditation(expert=expert, by=staff, status=Status.EXPIRED)
    assert accreditation.valid_until == in_days(-10)


def test_expiring_with_a_future_date_is_refused(staff):
    expert = ExpertFactory()
    services.change_accreditation(expert=expert, by=staff, status=Status.REFERENCED, valid_until=in_days(30))
    with pytest.raises(InvalidInput):
        services.change_accreditation(expert=expert, by=staff, status=Status.EXPIRED, valid_until=in_days(30))
    assert Accreditation.objects.get(expert=expert).status == Status.REFERENCED


def test_an_accreditation_expired_before_the_fix_shows_a_past_date(staff):
    expert = ExpertFactory()
    services.change_accreditation(expert=expert, by=staff, status=Status.REFERENCED, valid_until=in_days(30))
    services.change_accreditation(expert=expert, by=staff, status=Status.EXPIRED)
    Accreditation.objects.filter(expert=expert).update(valid_until=in_days(700))  # as the old code stored it
    assert Accreditation.objects.get(expert=expert).last_valid_day == in_days(-1)


@pytest.fixture
def three_states(staff):
    referenced, suspended, lapsed = ExpertFactory(), ExpertFactory(), ExpertFactory()
    for expert in (referenced, suspended, lapsed):
        services.change_accreditation(expert=expert, by=staff, status=Status.REFERENCED, valid_until=in_days(30))
    services.change_accreditation(expert=suspended, by=staff, status=Status.SUSPENDED)
    Accreditation.objects.filter(expert=lapsed).update(valid_until=in_days(-1))  # referenced, past its date
    return {"referenced": referenced, "suspended": suspended, "expired": lapsed, "none": ExpertFactory()}


@pytest.mark.parametrize("status", ["referenced", "suspended", "expired", "none"])
def test_the_staff_list_filters_by_the_status_as_it_stands_today(client, staff, three_states, status):
    client.force_login(staff)
    response = client.get(reverse("experts:accreditations"), {"status": status})
    assert [expert.pk for expert in response.context["experts"]] == [three_states[status].pk]


def test_the_staff_list_searches_the_organisation(client, staff):
    wanted = ExpertFactory(organisation="Cabinet Introuvable")
    ExpertFactory(organisation="Autre cabinet")
    client.force_login(staff)
    response = client.get(reverse("experts:accreditations"), {"q": "introuvable"})
    assert [expert.pk for expert in response.context["experts"]] == [wanted.pk]


def test_a_filter_without_match_offers_every_expert(client, staff):
    client.force_login(staff)
    page = client.get(reverse("experts:accreditations"), {"status": "suspended"}).content.decode()
    assert 'class="empty-state' in page


def test_the_filtered_staff_list_stays_within_the_same_query_budget(client, staff, django_assert_max_num_queries):
    ExpertFactory.create_batch(5)
    client.force_login(staff)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("experts:accreditations"), {"status": "none", "q": "a"})
    assert response.status_code == 200
