"""What the diagnostics endpoints read and write. The referential document has the shape of the
open referential's files (docs/referential-format.md): every text in French and English."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diagnostics.models import LEVELS, Answer, Diagnostic, Referential, Scale
from portal.api.fields import TextField


class TextSerializer(serializers.Serializer):
    fr = serializers.CharField()
    en = serializers.CharField()


class LevelSerializer(serializers.Serializer):
    level = serializers.IntegerField(min_value=0, max_value=5)
    description = TextSerializer()


class RecommendationSerializer(serializers.Serializer):
    target_level = serializers.IntegerField(min_value=1, max_value=5)
    action = TextSerializer()
    effort = serializers.ChoiceField(choices=Scale.choices)
    impact = serializers.ChoiceField(choices=Scale.choices)
    theme = serializers.CharField(required=False)
    expert_skill = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = TextSerializer()
    help = TextSerializer(required=False)
    weight = serializers.FloatField()
    allows_not_applicable = serializers.BooleanField()
    themes = serializers.ListField(child=serializers.CharField())
    levels = LevelSerializer(many=True)
    recommendations = RecommendationSerializer(many=True)


class AxisSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = TextSerializer()
    description = TextSerializer()
    weight = serializers.FloatField()
    questions = QuestionSerializer(many=True)


class BandSerializer(serializers.Serializer):
    level = serializers.IntegerField(min_value=0, max_value=5)
    name = TextSerializer()
    description = TextSerializer()


class ReferentialDocumentSerializer(serializers.Serializer):
    """One version's whole content, as in its YAML and JSON downloads."""

    code = serializers.CharField()
    version = serializers.CharField()
    title = TextSerializer()
    description = TextSerializer()
    bands = BandSerializer(many=True)
    axes = AxisSerializer(many=True)


class DownloadsSerializer(serializers.Serializer):
    yaml = serializers.URLField()
    json = serializers.URLField()
    xlsx = serializers.URLField()


class ReferentialVersionSerializer(serializers.ModelSerializer):
    title = serializers.CharField(help_text=_("The title in the language asked."))
    downloads = serializers.SerializerMethodField(help_text=_("The version's files, under the Licence Ouverte 2.0."))

    class Meta:
        model = Referential
        fields = ["code", "version", "title", "status", "published_at", "retired_at", "downloads"]

    @extend_schema_field(DownloadsSerializer)
    def get_downloads(self, referential):
        request = self.context.get("request")
        urls = {}
        for fmt in ("yaml", "json", "xlsx"):
            url = reverse("diagnostics:referential_download", args=[referential.code, referential.version, fmt])
            urls[fmt] = request.build_absolute_uri(url) if request else url
        return urls


class DiagnosticSerializer(serializers.ModelSerializer):
    company_name = serializers.CharField(source="company.name")
    referential_code = serializers.CharField(source="referential.code")
    referential_version = serializers.CharField(source="referential.version")

    class Meta:
        model = Diagnostic
        fields = [
            "id",
            "company",
            "company_name",
            "referential_code",
            "referential_version",
            "status",
            "started_at",
            "submitted_at",
            "overall_score",
            "band",
            "shared_with_region",
        ]


class AxisScoreSerializer(serializers.Serializer):
    code = serializers.CharField()
    score = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    applicable_questions = serializers.IntegerField()


class DmaDimensionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    score = serializers.DecimalField(max_digits=4, decimal_places=1)


class DmaScoreSerializer(serializers.Serializer):
    crosswalk = serializers.CharField(help_text=_("The version of the crosswalk used."))
    dimensions = DmaDimensionSerializer(many=True)
    overall = serializers.IntegerField(min_value=0, max_value=100)
    band = serializers.ChoiceField(choices=["basic", "average", "moderately_advanced", "advanced"])


class ScoresSerializer(serializers.Serializer):
    overall = serializers.DecimalField(max_digits=3, decimal_places=2)
    band = serializers.IntegerField(min_value=0, max_value=5)
    band_name = serializers.CharField(allow_blank=True)
    axes = AxisScoreSerializer(many=True)
    coverage_modules = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("The codes of the deep-dive modules the score covers besides the core (empty: the core only)."),
    )
    dma = DmaScoreSerializer(allow_null=True, help_text=_("The EU Digital Maturity Assessment view of the answers."))


class DiagnosticDetailSerializer(DiagnosticSerializer):
    scores = serializers.SerializerMethodField(help_text=_("The score snapshot, once submitted (null for a draft)."))

    class Meta(DiagnosticSerializer.Meta):
        fields = [*DiagnosticSerializer.Meta.fields, "scores"]

    @extend_schema_field(ScoresSerializer(allow_null=True))
    def get_scores(self, diagnostic):
        scores = self.context["scores"]
        return None if scores is None else ScoresSerializer(scores).data


class AnswerSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.code", read_only=True, help_text=_("The question's code."))
    axis = serializers.CharField(source="question.axis.code", read_only=True, help_text=_("The axis's code."))

    class Meta:
        model = Answer
        fields = ["question", "axis", "level", "not_applicable", "comment", "answered_at"]


class AnswerInputSerializer(serializers.Serializer):
    level = serializers.IntegerField(
        min_value=min(LEVELS), max_value=max(LEVELS), allow_null=True, required=False, default=None
    )
    not_applicable = serializers.BooleanField(required=False, default=False)
    comment = TextField(
        required=False, allow_blank=True, default="", max_length=Answer._meta.get_field("comment").max_length
    )
