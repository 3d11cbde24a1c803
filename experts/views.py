from django.contrib.auth.decorators import permission_required
from django.shortcuts import render


@permission_required("experts.view_my_assignments", raise_exception=True)
def my_assignments(request):
    return render(request, "experts/my_assignments.html", {"expert": request.user.expert_profile})
