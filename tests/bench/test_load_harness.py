"""The load harness (bench/load.py) measures its own server and checks every acknowledged answer,
including those of two colleagues answering one draft. No wall-clock time is asserted."""

import os
import socket

import pytest
from django.core.management import call_command

from bench import load
from bench.common import ROOT
from diagnostics import services
from diagnostics.models import Diagnostic, Question
from portal.models import User

REFERENTIAL = ROOT / "diagnostics/referentials/industrie-du-futur.yaml"


@pytest.fixture
def listener():
    """A socket of this process listening on a loopback port (another program, for the harness)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        yield held.getsockname()[1]


def test_a_port_another_program_listens_on_is_refused_before_starting(listener, tmp_path):
    with (tmp_path / "gunicorn.log").open("w") as log, pytest.raises(SystemExit, match="already taken"):
        load.start_gunicorn(listener, 1, log)


def test_the_listener_is_recognised_by_its_process_only(listener):
    assert load.listens_on(os.getpid(), listener)
    assert not load.listens_on(os.getpid(), load.free_port())


@pytest.fixture
def demo(db, capsys):
    call_command("load_referential", str(REFERENTIAL), "--publish", verbosity=0)
    call_command("seed_demo")
    capsys.readouterr()


def test_two_colleagues_answer_one_draft_each_as_a_respondent(demo):
    plan = load.prepare(smes=6, officers=1, pairs=2)

    smes = plan["smes"]
    assert len(smes) == 6
    shared = [account for account in smes if account["respondent"]]
    assert len(shared) == 4 and len({account["diagnostic"] for account in shared}) == 2
    assert len({account["user"] for account in shared}) == 4


def test_an_acknowledged_answer_missing_from_a_respondent_is_counted_lost(demo):
    plan = load.prepare(smes=2, officers=1, pairs=1)
    colleague, owner = plan["smes"]
    question = Question.objects.get(pk=owner["axes"][0]["questions"][0]["pk"])
    draft = Diagnostic.objects.get(pk=owner["diagnostic"])
    services.save_respondent_answer(
        diagnostic=draft, question=question, level=2, comment="owner", by=User.objects.get(pk=owner["user"])
    )
    acks = {
        load.ack_key(owner, question.pk): ["2", "owner"],
        load.ack_key(colleague, question.pk): ["4", "colleague"],  # acknowledged, never stored
    }

    assert load.lost_answers(acks) == [f"{draft.pk}:{question.pk} (respondent {colleague['user']})"]
