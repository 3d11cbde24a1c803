"""Endpoints of the diagnostics app. Thin: the scoped selectors find the objects (404 outside the
user's scope), the rules decide (403), the services write; the same as the app's pages."""

from decimal import Decimal

import django_filters
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from diagnostics import rules, selectors, services
from diagnostics.action_plan import axis_scores
from diagnostics.api import serializers
from diagnostics.dma.model import DIMENSIONS
from diagnostics.dma.reading import dma_view
from diagnostics.models import Answer, Diagnostic, DiagnosticAccess, MaturityBand, Referential
from portal.api.filters import IdFilter, StrictFilters
from portal.api.parameters import KnownQueryParameters

REFERENTIALS_TAG = gettext_lazy("Referential")
DIAGNOSTICS_TAG = gettext_lazy("Diagnostics")


class ReferentialVersionFilter(StrictFilters, django_filters.FilterSet):
    code = django_filters.CharFilter(help_text=gettext_lazy("The referential's code, e.g. industrie-du-futur."))
    status = django_filters.ChoiceFilter(
        choices=[(s, label) for s, label in Referential.Status.choices if s != Referential.Status.DRAFT]
    )

    class Meta:
        model = Referential
        fields = ["code", "status"]


@extend_schema_view(get=extend_schema(tags=[REFERENTIALS_TAG], summary=gettext_lazy("Published and retired versions")))
class ReferentialVersionList(KnownQueryParameters, generics.ListAPIView):
    """Every published or retired version of the referential, latest first, with its downloads."""

    public = True
    serializer_class = serializers.ReferentialVersionSerializer
    filterset_class = ReferentialVersionFilter

    def get_queryset(self):
        return Referential.objects.public().order_by("code", "-published_at", "-pk")


@extend_schema(
    tags=[REFERENTIALS_TAG],
    summary=gettext_lazy("One version's whole content"),
    responses=serializers.ReferentialDocumentSerializer,
)
class ReferentialVersionDetail(KnownQueryParameters, APIView):
    """Bands, axes, questions, their six levels and recommendations, in French and English."""

    public = True

    def get(self, request, code, version):
        document = selectors.public_referential_document(code, version)
        if document is None:
            raise NotFound(_("No published version of the referential matches this address."))
        return Response(serializers.ReferentialDocumentSerializer(document).data)


class DiagnosticFilter(StrictFilters, django_filters.FilterSet):
    company = IdFilter(field_name="company_id", help_text=gettext_lazy("A company's number."))
    status = django_filters.ChoiceFilter(choices=Diagnostic.Status.choices)

    class Meta:
        model = Diagnostic
        fields = ["company", "status"]


@extend_schema_view(get=extend_schema(tags=[DIAGNOSTICS_TAG], summary=gettext_lazy("Diagnostics you may see")))
class DiagnosticList(KnownQueryParameters, generics.ListAPIView):
    """Your companies' diagnostics; for officers, experts and staff, those their role lets them see (as on the portal)."""

    serializer_class = serializers.DiagnosticSerializer
    filterset_class = DiagnosticFilter

    def get_queryset(self):
        return (
            selectors.diagnostics_visible_to(self.request.user)
            .select_related("company", "referential")
            .order_by("-started_at", "-pk")
        )


def _visible(request, pk):
    diagnostic = selectors.visible_diagnostic(request.user, pk)
    if diagnostic is None:
        raise NotFound(_("No diagnostic you may see has this number."))
    return diagnostic


def _scores(diagnostic):
    """The stored snapshot as the API shows it, or None for a draft (no query beyond the band's name)."""
    if diagnostic.is_draft or not diagnostic.scores:
        return None
    applicable = {code: values.get("applicable", 0) for code, values in diagnostic.scores.get("axes", {}).items()}
    band = (
        MaturityBand.objects.filter(referential_id=diagnostic.referential_id, level=diagnostic.band)
        .only("name_fr", "name_en")
        .first()
    )
    return {
        "overall": Decimal(diagnostic.scores["overall"]),
        "band": diagnostic.band,
        "band_name": band.name if band else "",
        "axes": [
            {"code": code, "score": score, "applicable_questions": applicable[code]}
            for code, score in axis_scores(diagnostic).items()
        ],
        # Snapshots taken before modules existed have no coverage: they scored the whole questionnaire, all core.
        "coverage_modules": diagnostic.scores.get("coverage", {}).get("modules", []),
        "dma": _dma(diagnostic),
    }


def _dma(diagnostic):
    view = dma_view(diagnostic)
    if view is None:
        return None
    crosswalk, _values, score = view
    english = (get_language() or "fr").startswith("en")
    return {
        "crosswalk": crosswalk.label,
        "dimensions": [
            {
                "code": dimension.code,
                "name": dimension.name_en if english else dimension.name_fr,
                "score": score.dimension(dimension.number),
            }
            for dimension in DIMENSIONS
        ],
        "overall": score.overall,
        "band": score.band,
    }


@extend_schema(tags=[DIAGNOSTICS_TAG], summary=gettext_lazy("One diagnostic and its scores"))
class DiagnosticDetail(KnownQueryParameters, generics.GenericAPIView):
    """A diagnostic you may see, with its score snapshot once submitted. Outside your scope: 404."""

    serializer_class = serializers.DiagnosticDetailSerializer

    def get(self, request, pk):
        diagnostic = _visible(request, pk)
        if not diagnostic.is_draft:
            services.record_access(diagnostic=diagnostic, user=request.user, what=DiagnosticAccess.What.RESULTS)
        serializer = self.get_serializer(diagnostic, context={"request": request, "scores": _scores(diagnostic)})
        return Response(serializer.data)


@extend_schema_view(get=extend_schema(tags=[DIAGNOSTICS_TAG], summary=gettext_lazy("A diagnostic's answers")))
class AnswerList(KnownQueryParameters, generics.ListAPIView):
    """The answers given so far, question by question, in the referential's order."""

    serializer_class = serializers.AnswerSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Answer.objects.none()
        diagnostic = _visible(self.request, self.kwargs["pk"])
        services.record_access(diagnostic=diagnostic, user=self.request.user, what=DiagnosticAccess.What.ANSWERS)
        return (
            Answer.objects.filter(diagnostic=diagnostic)
            .select_related("question__axis")
            .order_by("question__axis__order", "question__axis__pk", "question__order", "question__pk")
        )


@extend_schema(
    tags=[DIAGNOSTICS_TAG],
    summary=gettext_lazy("Save one answer (autosave)"),
    parameters=[
        OpenApiParameter("question", str, OpenApiParameter.PATH, description=gettext_lazy("The question's code."))
    ],
    request=serializers.AnswerInputSerializer,
    responses={200: serializers.AnswerSerializer},
)
class AnswerSave(KnownQueryParameters, APIView):
    """Give or change the answer to one question of a draft: a level 0 to 5, or “not applicable” where the
    question allows it, with an optional comment. The company's members only; a submitted diagnostic: 409.
    Once colleagues are invited as respondents, the answer saved is the caller's own."""

    def put(self, request, pk, question):
        target = selectors.answer_target(request.user, diagnostic_pk=pk, question_code=question)
        if target is None:
            raise NotFound(_("No question of a diagnostic you may see has this code."))
        if not rules.is_diagnostic_company_member.test(request.user, target.diagnostic):
            raise PermissionDenied(_("Only the company's members may answer its diagnostic."))
        data = serializers.AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # With several respondents each member's answer is their own; the lead sets the company's at the consensus.
        save = services.save_respondent_answer if target.diagnostic.has_respondents else services.save_answer
        answer = save(diagnostic=target.diagnostic, question=target.question, by=request.user, **data.validated_data)
        return Response(serializers.AnswerSerializer(answer).data, status=status.HTTP_200_OK)
