"""Programmes and applications through the API. Thin: the scoped selectors find the objects (404 outside
the user's scope), the rules decide (403), the services decide and write, raising the same typed errors
as on the pages (answered with their status by `portal.api.errors`)."""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.filters import IdFilter, StrictFilters
from portal.api.parameters import KnownQueryParameters
from regions import selectors, services
from regions.api import serializers
from regions.dma import enrolment_scores
from regions.models import Enrolment, Programme
from regions.rules import can_decide_enrolment, can_withdraw_enrolment

PROGRAMMES_TAG = gettext_lazy("Programmes and applications")


class ProgrammeFilter(StrictFilters, django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Programme.Status.choices)
    region = django_filters.CharFilter(
        field_name="region__code", help_text=gettext_lazy("A region's INSEE code, e.g. 53.")
    )

    class Meta:
        model = Programme
        fields = ["status", "region"]


@extend_schema_view(get=extend_schema(tags=[PROGRAMMES_TAG], summary=gettext_lazy("Programmes you manage")))
class ProgrammeList(KnownQueryParameters, generics.ListAPIView):
    """Your region's programmes (every programme for staff); none for other roles."""

    serializer_class = serializers.ProgrammeSerializer
    filterset_class = ProgrammeFilter

    def get_queryset(self):
        return selectors.programmes_visible_to(self.request.user).order_by("-start_date", "name", "pk")


@extend_schema(tags=[PROGRAMMES_TAG], summary=gettext_lazy("One programme"))
class ProgrammeDetail(KnownQueryParameters, generics.GenericAPIView):
    serializer_class = serializers.ProgrammeSerializer

    def get(self, request, pk):
        programme = selectors.programme_for_officer(request.user, pk)
        if programme is None:
            raise NotFound(_("No programme you manage has this number."))
        return Response(self.get_serializer(programme).data)


class EnrolmentFilter(StrictFilters, django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id")
    company = IdFilter(field_name="company_id")
    status = django_filters.ChoiceFilter(choices=Enrolment.Status.choices)

    class Meta:
        model = Enrolment
        fields = ["programme", "company", "status"]


@extend_schema_view(get=extend_schema(tags=[PROGRAMMES_TAG], summary=gettext_lazy("Applications you may see")))
class EnrolmentList(KnownQueryParameters, generics.ListAPIView):
    """Officers: the applications to their region's programmes; staff: all; companies: their own."""

    serializer_class = serializers.EnrolmentSerializer
    filterset_class = EnrolmentFilter

    def get_queryset(self):
        return (
            selectors.enrolments_visible_to(self.request.user)
            .select_related("programme", "company")
            .order_by("-applied_at", "-pk")
        )


def _enrolment(request, pk):
    enrolment = selectors.enrolment_detail(request.user, pk)
    if enrolment is None:
        raise NotFound(_("No application you may see has this number."))
    return enrolment


@extend_schema(tags=[PROGRAMMES_TAG], summary=gettext_lazy("One application, with its EU DMA time points"))
class EnrolmentDetail(KnownQueryParameters, generics.GenericAPIView):
    serializer_class = serializers.EnrolmentDetailSerializer

    def get(self, request, pk):
        enrolment = _enrolment(request, pk)
        enrolment.dma_scores = [
            {
                "time_point": point.name,
                "diagnostic": point.diagnostic_id,
                "submitted_at": point.submitted_at,
                "crosswalk": crosswalk.label,
                "dimensions": [score.dimension(number) for number in sorted(score.dimensions)],
                "overall": score.overall,
                "band": score.band,
            }
            for point, crosswalk, score in enrolment_scores(enrolment)
        ]
        return Response(self.get_serializer(enrolment).data)


class EnrolmentStep(KnownQueryParameters, APIView):
    """One step of an application's workflow, by the service its page calls. Subclasses say which."""

    input_serializer = serializers.CommentSerializer
    rule = can_decide_enrolment
    refused = gettext_lazy("Only the officers of the programme's region and the Alliance staff decide on applications.")

    def post(self, request, pk):
        enrolment = _enrolment(request, pk)
        if not self.rule.test(request.user, enrolment):
            raise PermissionDenied(self.refused)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        moved = self.step(enrolment=enrolment, by=request.user, **data.validated_data)
        return Response(serializers.EnrolmentSerializer(selectors.enrolment_detail(request.user, moved.pk)).data)

    def step(self, *, enrolment, by, **data):
        raise NotImplementedError


def _documented(summary, input_serializer=serializers.CommentSerializer):
    return extend_schema(
        tags=[PROGRAMMES_TAG],
        summary=summary,
        request=input_serializer,
        responses={200: serializers.EnrolmentSerializer},
    )


@_documented(gettext_lazy("Start reviewing an application"))
class EnrolmentReview(EnrolmentStep):
    """applied → under review."""

    def step(self, *, enrolment, by, comment=""):
        return services.start_review(enrolment=enrolment, by=by, comment=comment)


@_documented(gettext_lazy("Accept an application, committing an amount"), serializers.AcceptSerializer)
class EnrolmentAccept(EnrolmentStep):
    """under review → accepted: commits the amount (at most the cap and what is left of the budget; else 409)."""

    input_serializer = serializers.AcceptSerializer

    def step(self, *, enrolment, by, amount, comment=""):
        return services.accept_enrolment(enrolment=enrolment, amount=amount, by=by, comment=comment)


@_documented(gettext_lazy("Refuse an application"), serializers.RefuseSerializer)
class EnrolmentRefuse(EnrolmentStep):
    """under review → refused, with the reason the company reads."""

    input_serializer = serializers.RefuseSerializer

    def step(self, *, enrolment, by, reason):
        return services.refuse_enrolment(enrolment=enrolment, reason=reason, by=by)


@_documented(gettext_lazy("Mark the support as started"))
class EnrolmentStart(EnrolmentStep):
    """accepted → in progress."""

    def step(self, *, enrolment, by, comment=""):
        return services.start_enrolment(enrolment=enrolment, by=by, comment=comment)


@_documented(gettext_lazy("Complete the support (what was not spent returns to the budget)"))
class EnrolmentComplete(EnrolmentStep):
    """in progress → completed."""

    def step(self, *, enrolment, by, comment=""):
        return services.complete_enrolment(enrolment=enrolment, by=by, comment=comment)


@_documented(gettext_lazy("Withdraw your company's application"))
class EnrolmentWithdraw(EnrolmentStep):
    """Any live, not completed application → withdrawn, by the company's members."""

    rule = can_withdraw_enrolment
    refused = gettext_lazy("Only the company's members may withdraw its application.")

    def step(self, *, enrolment, by, comment=""):
        return services.withdraw_enrolment(enrolment=enrolment, by=by, comment=comment)
