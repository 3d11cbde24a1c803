"""Two respondents autosaving at the same time lose nothing: each keeps exactly their own answers.

PostgreSQL only (run with DATABASE_URL=postgres://…): real concurrent upserts on the
(diagnostic, respondent, question) key, each thread through its own connection, released together
by a `threading.Barrier`. On SQLite one writer runs at a time, so there is no race to test.
"""

import threading

import pytest
from django.db import connection, connections  # noqa: F401 (`connection`: read by the skipif condition)
from django.test import Client
from django.urls import reverse

from diagnostics import services
from diagnostics.models import Answer, RespondentAnswer, RespondentFunction
from tests.diagnostics.factories import PublishedReferentialFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="concurrent upserts need PostgreSQL (run with DATABASE_URL=postgres://…)",
    ),
]

ROUNDS = 3


def run_together(works):
    """Run each `work()` in its own thread, released together; return their exceptions (None if none)."""
    barrier = threading.Barrier(len(works), timeout=60)
    errors = [None] * len(works)

    def target(index):
        try:
            barrier.wait()
            works[index]()
        except Exception as error:
            errors[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(not thread.is_alive() for thread in threads), "a thread is stuck"
    return errors


def level_of(user_index, question, round_index):
    return (question.pk + user_index * 3 + round_index) % 6


def test_two_respondents_autosaving_together_each_keep_all_their_answers(company, owner, member):
    PublishedReferentialFactory(axes=4, questions=6)
    draft = services.start_diagnostic(company=company, by=owner)
    services.invite_respondent(diagnostic=draft, function=RespondentFunction.PRODUCTION, user=member, by=owner)
    questions = list(draft.referential.questions.order_by("pk"))
    users = [owner, member]

    def autosave_everything(user_index):
        client = Client()
        client.force_login(users[user_index])
        for round_index in range(ROUNDS):
            for question in questions:
                response = client.post(
                    reverse("diagnostics:autosave", args=[draft.pk, question.pk]),
                    {
                        f"q{question.pk}-choice": str(level_of(user_index, question, round_index)),
                        f"q{question.pk}-comment": f"{user_index}-{round_index}",
                    },
                )
                assert response.status_code == 200, response.content

    errors = run_together([lambda: autosave_everything(0), lambda: autosave_everything(1)])

    assert errors == [None, None]
    for user_index, user in enumerate(users):
        saved = {
            row.question_id: (row.level, row.comment)
            for row in RespondentAnswer.objects.filter(diagnostic=draft, respondent=user)
        }
        assert saved == {
            question.pk: (level_of(user_index, question, ROUNDS - 1), f"{user_index}-{ROUNDS - 1}")
            for question in questions
        }
    assert not Answer.objects.filter(diagnostic=draft).exists()


def test_respondents_saving_the_same_question_together_never_touch_each_others_row(company, owner, member):
    PublishedReferentialFactory(axes=1, questions=1)
    draft = services.start_diagnostic(company=company, by=owner)
    services.invite_respondent(diagnostic=draft, function=RespondentFunction.QUALITY, user=member, by=owner)
    question = draft.referential.questions.get()
    users = [owner, member]

    def save_many_times(user_index):
        for round_index in range(40):
            services.save_respondent_answer(
                diagnostic=draft,
                question=question,
                level=user_index * 5,
                comment=f"{user_index}-{round_index}",
                by=users[user_index],
            )

    errors = run_together([lambda: save_many_times(0), lambda: save_many_times(1)])

    assert errors == [None, None]
    assert set(RespondentAnswer.objects.filter(diagnostic=draft).values_list("respondent", "level", "comment")) == {
        (owner.pk, 0, "0-39"),
        (member.pk, 5, "1-39"),
    }
