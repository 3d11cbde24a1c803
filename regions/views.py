from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from portal.models import Region
from regions.selectors import regions_of_officer


@permission_required("regions.view_region_space", raise_exception=True)
def my_region(request):
    return render(request, "regions/my_region.html", {"regions": regions_of_officer(request.user)})


@permission_required("regions.view_national_space", raise_exception=True)
def national(request):
    return render(request, "regions/national.html", {"region_count": Region.objects.count()})
