"""The expert directory as an API: the same selectors and filters as its public pages; day rates and
e-mail addresses only for the roles that see them there (`rules.can_see_private_details`)."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from experts import selectors
from experts.filters import DirectoryFilter
from experts.models import Expert, ExpertSkill
from experts.rules import can_see_private_details
from portal.api.filters import StrictFilters
from portal.api.parameters import KnownQueryParameters

TAG = gettext_lazy("Expert directory")


class ApiDirectoryFilter(StrictFilters, DirectoryFilter):
    """The directory's filters; regions, themes and axes are given by their codes (an unknown code matches no one)."""

    region = django_filters.CharFilter(
        method="filter_region_code", help_text=gettext_lazy("A region served, by its INSEE code, e.g. 53.")
    )
    theme = django_filters.CharFilter(method="filter_theme_code", help_text=gettext_lazy("A technology theme's code."))
    axis = django_filters.CharFilter(
        method="filter_axis", help_text=gettext_lazy("A referential axis's code, e.g. DIGIT.")
    )
    available = django_filters.BooleanFilter(
        method="filter_available", help_text=gettext_lazy("Only experts with a free place.")
    )

    def __init__(self, *args, **kwargs):
        super(DirectoryFilter, self).__init__(*args, **kwargs)  # no choice list to read for a free code

    def filter_region_code(self, queryset, name, value):
        return queryset.filter(Exists(Expert.regions.through.objects.filter(expert=OuterRef("pk"), region__code=value)))

    def filter_theme_code(self, queryset, name, value):
        return queryset.filter(Exists(ExpertSkill.objects.filter(expert=OuterRef("pk"), theme__code=value)))


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="label")


class SkillSerializer(serializers.Serializer):
    axis = serializers.CharField(
        source="axis_code", allow_blank=True, help_text=gettext_lazy("An axis's code, or empty for a theme.")
    )
    theme = serializers.CharField(
        source="theme.code", default="", help_text=gettext_lazy("A technology theme's code, or empty for an axis.")
    )
    level = serializers.IntegerField(min_value=1, max_value=3)


class ExpertSerializer(serializers.ModelSerializer):
    name = serializers.CharField()
    regions = RegionSerializer(many=True)
    languages = serializers.SerializerMethodField()
    skills = SkillSerializer(many=True)
    free_places = serializers.IntegerField()
    day_rate = serializers.SerializerMethodField(
        help_text=gettext_lazy("Excluding VAT; shown to signed-in companies, officers, staff and the expert only.")
    )
    email = serializers.SerializerMethodField(
        help_text=gettext_lazy("Shown to signed-in companies, officers, staff and the expert only.")
    )

    class Meta:
        model = Expert
        fields = [
            "id",
            "name",
            "organisation",
            "bio",
            "regions",
            "languages",
            "skills",
            "capacity",
            "free_places",
            "day_rate",
            "email",
        ]

    def _private(self, expert):
        return can_see_private_details.test(self.context["request"].user, expert)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_languages(self, expert):
        return [language.code for language in expert.languages.all()]

    @extend_schema_field(serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True))
    def get_day_rate(self, expert):
        return f"{expert.day_rate:.2f}" if self._private(expert) else None

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, expert):
        return expert.user.email if self._private(expert) else None


@extend_schema_view(get=extend_schema(tags=[TAG], summary=gettext_lazy("Referenced experts")))
class ExpertList(KnownQueryParameters, generics.ListAPIView):
    """The experts the Alliance references today, by name, filtered like the directory page."""

    public = True
    serializer_class = ExpertSerializer
    filterset_class = ApiDirectoryFilter

    def get_queryset(self):
        return selectors.directory_experts()


@extend_schema(tags=[TAG], summary=gettext_lazy("One expert's profile"))
class ExpertDetail(KnownQueryParameters, generics.GenericAPIView):
    """A referenced expert's profile (any expert's for staff and for the expert themselves); else 404."""

    public = True
    serializer_class = ExpertSerializer

    def get(self, request, pk):
        expert = selectors.directory_profile(request.user, pk)
        if expert is None:
            raise NotFound(_("No referenced expert has this number."))
        return Response(self.get_serializer(expert).data)
