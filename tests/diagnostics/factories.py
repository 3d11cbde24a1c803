"""Referential factories, for these tests and the later issues' (diagnostics, scoring, reports).

    ReferentialFactory()                                   # a draft: 2 axes x 3 questions, 6 levels, 5 recommendations
    ReferentialFactory(axes=4, questions=5, status="published")
    PublishedReferentialFactory()                          # the current published version of "industrie-du-futur"
    ReferentialFactory(axes=0)                             # an empty draft, for AxisFactory / QuestionFactory

The content goes through `services.load_referential_document`, the same path as a referential file,
so a published factory referential passed every check of the file format.
"""

from decimal import Decimal

import factory
from django.utils import timezone

from diagnostics import services
from diagnostics.models import (
    DEFAULT_REFERENTIAL_CODE,
    Answer,
    Axis,
    Diagnostic,
    LevelDescriptor,
    Question,
    Recommendation,
    Referential,
)
from tests.portal.factories import UserFactory

THEME_CODES = [
    "digital-iot",
    "people-cobotics-ar",
    "additive-manufacturing",
    "monitoring-control",
    "composites-materials-assembly",
    "automation-robotics",
    "energy-efficiency",
]
BAND_NAMES = [
    ("Non engagé", "Not started"),
    ("Débutant", "Beginner"),
    ("Intermédiaire", "Intermediate"),
    ("Structuré", "Structured"),
    ("Avancé", "Advanced"),
    ("Exemplaire", "Leading"),
]
SCALE = ["low", "medium", "high"]


def text(fr, en):
    return {"fr": fr, "en": en}


def question_document(axis_code, number, axis_codes):
    code = f"{axis_code}-{number}"
    return {
        "code": code,
        "text": text(f"Question {code} ?", f"Question {code}?"),
        "weight": 1 + (number % 2),
        "allows_not_applicable": number % 3 == 0,
        "themes": [THEME_CODES[number % len(THEME_CODES)]],
        "levels": [
            {
                "level": level,
                "description": text(f"{code} : constat niveau {level}.", f"{code}: fact at level {level}."),
            }
            for level in range(6)
        ],
        "recommendations": [
            {
                "target_level": level,
                "action": text(f"{code} : atteindre le niveau {level}.", f"{code}: reach level {level}."),
                "effort": SCALE[level % 3],
                "impact": SCALE[(level + 1) % 3],
                **({"theme": THEME_CODES[level % len(THEME_CODES)]} if level % 2 else {}),
                "expert_skill": axis_codes[level % len(axis_codes)],
            }
            for level in range(1, 6)
        ],
    }


def referential_document(*, code=DEFAULT_REFERENTIAL_CODE, version="2026.1", axes=2, questions=3, **texts):
    """A complete, valid document of `axes` axes with `questions` questions each."""
    axis_codes = [f"AX{number}" for number in range(1, axes + 1)]
    return {
        "code": code,
        "version": version,
        "title": text(texts.get("title_fr", "Référentiel de test"), texts.get("title_en", "Test referential")),
        "description": text(
            texts.get("description_fr", "Un référentiel pour les tests."),
            texts.get("description_en", "A referential for the tests."),
        ),
        "bands": [
            {"level": level, "name": text(fr, en), "description": text(f"Niveau {level}.", f"Level {level}.")}
            for level, (fr, en) in enumerate(BAND_NAMES)
        ],
        "axes": [
            {
                "code": axis_code,
                "title": text(f"Axe {axis_code}", f"Axis {axis_code}"),
                "description": text(f"L'axe {axis_code}.", f"The {axis_code} axis."),
                "weight": 1,
                "questions": [question_document(axis_code, number, axis_codes) for number in range(1, questions + 1)],
            }
            for axis_code in axis_codes
        ],
    }


def modular_document(document, *, rules=None):
    """`document` with deep-dive modules: the first question of each axis stays in the core, the others
    form the module `M-<axis>`. `rules` maps a module code to its `opens_when` list; by default a
    module opens when its axis's core question is answered at level 2 or below."""
    document = {**document, "modules": []}
    for axis in document["axes"]:
        module_code = f"M-{axis['code']}"
        for question in axis["questions"][1:]:
            question["module"] = module_code
        default_rule = [{"core_answer": {"question": axis["questions"][0]["code"], "at_most": 2}}]
        document["modules"].append(
            {
                "code": module_code,
                "title": text(f"Approfondir {axis['code']}", f"Deeper into {axis['code']}"),
                "description": text(f"Le module {axis['code']}.", f"The {axis['code']} module."),
                "minutes": len(axis["questions"]) - 1,
                "opens_when": (rules or {}).get(module_code, default_rule),
            }
        )
    return document


def published_modular_referential(*, axes=2, questions=3, version="2026.2", rules=None):
    """A published version whose questions after the first of each axis are in modules (see `modular_document`)."""
    document = modular_document(referential_document(axes=axes, questions=questions, version=version), rules=rules)
    return services.load_referential_document(document=document, publish=True).referential


class ReferentialFactory(factory.django.DjangoModelFactory):
    """A referential version with content; `axes`, `questions` size it, `status` draft / published / retired."""

    class Meta:
        model = Referential

    code = DEFAULT_REFERENTIAL_CODE
    version = factory.Sequence(lambda n: f"test.{n}")
    title_fr = "Référentiel de test"
    title_en = "Test referential"
    description_fr = "Un référentiel pour les tests."
    description_en = "A referential for the tests."
    status = Referential.Status.DRAFT

    @classmethod
    def _create(cls, model_class, *args, axes=2, questions=3, status=Referential.Status.DRAFT, **fields):
        if axes == 0:
            return model_class.objects.create(**fields)
        document = referential_document(axes=axes, questions=questions, **fields)
        referential = services.load_referential_document(document=document).referential
        if status in (Referential.Status.PUBLISHED, Referential.Status.RETIRED):
            referential = services.publish_referential(referential=referential)
        if status == Referential.Status.RETIRED:
            referential = services.retire_referential(referential=referential)
        return referential

    @classmethod
    def _build(cls, model_class, *args, axes=None, questions=None, **fields):
        return model_class(**fields)


class PublishedReferentialFactory(ReferentialFactory):
    status = Referential.Status.PUBLISHED


class AxisFactory(factory.django.DjangoModelFactory):
    """An axis of a draft (give `referential=ReferentialFactory(axes=0)`)."""

    class Meta:
        model = Axis

    referential = factory.SubFactory(ReferentialFactory, axes=0)
    code = factory.Sequence(lambda n: f"AXIS{n}")
    order = factory.Sequence(lambda n: n)
    title_fr = factory.LazyAttribute(lambda axis: f"Axe {axis.code}")
    title_en = factory.LazyAttribute(lambda axis: f"Axis {axis.code}")
    description_fr = "Description."
    description_en = "Description."
    weight = Decimal("1")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    axis = factory.SubFactory(AxisFactory)
    code = factory.Sequence(lambda n: f"Q-{n}")
    order = factory.Sequence(lambda n: n)
    text_fr = factory.LazyAttribute(lambda question: f"Question {question.code} ?")
    text_en = factory.LazyAttribute(lambda question: f"Question {question.code}?")
    weight = Decimal("1")


class LevelDescriptorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LevelDescriptor

    question = factory.SubFactory(QuestionFactory)
    level = 0
    description_fr = "Constat."
    description_en = "Fact."


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    question = factory.SubFactory(QuestionFactory)
    target_level = 1
    action_fr = "Agir."
    action_en = "Act."
    effort = "low"
    impact = "medium"
    expert_skill = factory.LazyAttribute(lambda recommendation: recommendation.question.axis.code)


class DiagnosticFactory(factory.django.DjangoModelFactory):
    """A draft diagnostic of a company on a published referential.

    The same row as `services.start_diagnostic` makes for a first diagnostic (it only adds the checks
    and the copy of previous answers), written raw so that a test may give any referential, not only
    the current published one. Tests of starting a diagnostic call the service.

    DiagnosticFactory()                                    # a new company, a new published referential
    DiagnosticFactory(company=company, referential=ref)
    """

    class Meta:
        model = Diagnostic

    company = factory.SubFactory("tests.portal.factories.CompanyFactory")
    referential = factory.SubFactory(PublishedReferentialFactory)
    started_by = factory.LazyAttribute(
        lambda diagnostic: (
            diagnostic.company.memberships.select_related("user").first().user
            if diagnostic.company.memberships.exists()
            else UserFactory()
        )
    )


class AnswerFactory(factory.django.DjangoModelFactory):
    """An answer of a diagnostic (give `diagnostic` and `question`; level 3 by default)."""

    class Meta:
        model = Answer

    diagnostic = factory.SubFactory(DiagnosticFactory)
    question = factory.LazyAttribute(lambda answer: answer.diagnostic.referential.questions.order_by("pk").first())
    level = 3
    not_applicable = False
    answered_by = factory.LazyAttribute(lambda answer: answer.diagnostic.started_by)
    answered_at = factory.LazyFunction(timezone.now)


def answer_all(diagnostic, *, level=3, by=None, not_applicable_where_allowed=False):
    """Answer every question of the diagnostic (bulk): `level`, a callable question -> level, or n/a where allowed."""
    by = by or diagnostic.started_by
    now = timezone.now()
    answers = []
    for question in diagnostic.referential.questions.order_by("pk"):
        if not_applicable_where_allowed and question.allows_not_applicable:
            answers.append(
                Answer(diagnostic=diagnostic, question=question, not_applicable=True, answered_by=by, answered_at=now)
            )
            continue
        value = level(question) if callable(level) else level
        answers.append(Answer(diagnostic=diagnostic, question=question, level=value, answered_by=by, answered_at=now))
    return Answer.objects.bulk_create(answers)
