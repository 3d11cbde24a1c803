"""Fill the dashboards' counters (portal 0008) from the existing companies and diagnostics: the same
aggregates as `diagnostics.dashboard_counters.expected_counters`, written against the historical models."""

from django.db import migrations
from django.db.models import Count, DateField, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncQuarter
from django.utils import timezone


def fill_counters(apps, schema_editor):
    Company = apps.get_model("portal", "Company")
    Diagnostic = apps.get_model("diagnostics", "Diagnostic")
    RegionFunnelCount = apps.get_model("portal", "RegionFunnelCount")
    RegionQuarterCount = apps.get_model("portal", "RegionQuarterCount")
    diagnostics = Diagnostic.objects.filter(company=OuterRef("pk"))
    funnel = (
        Company.objects.values("region_id")
        .annotate(
            companies=Count("pk"),
            started=Count("pk", filter=Q(Exists(diagnostics))),
            submitted=Count("pk", filter=Q(Exists(diagnostics.filter(status="submitted")))),
        )
        .order_by()
    )
    RegionFunnelCount.objects.bulk_create(RegionFunnelCount(**row) for row in funnel)
    quarters = (
        Diagnostic.objects.filter(status="submitted", submitted_at__isnull=False, overall_score__isnull=False)
        .annotate(
            quarter=TruncQuarter("submitted_at", output_field=DateField(), tzinfo=timezone.get_default_timezone())
        )
        .values("company__region_id", "quarter")
        .annotate(diagnostics=Count("pk"), score_total=Sum("overall_score"), companies=Count("company", distinct=True))
        .order_by()
    )
    RegionQuarterCount.objects.bulk_create(
        (
            RegionQuarterCount(
                region_id=row["company__region_id"],
                quarter=row["quarter"],
                diagnostics=row["diagnostics"],
                score_total=row["score_total"],
                companies=row["companies"],
            )
            for row in quarters
        ),
        batch_size=1000,
    )


def empty_counters(apps, schema_editor):
    apps.get_model("portal", "RegionFunnelCount").objects.all().delete()
    apps.get_model("portal", "RegionQuarterCount").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostics", "0014_published_peer_groups"),
        ("portal", "0008_dashboard_counters"),
    ]

    operations = [migrations.RunPython(fill_counters, empty_counters)]
