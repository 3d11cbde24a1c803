"""The expert's own profile form, and the staff's accreditation pages."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from experts import selectors, services
from experts.forms import AccreditationForm, ProfileForm, RegisterExpertForm
from experts.rules import can_edit_profile, can_manage_accreditations
from portal.http import allowed, found, reported

ACCREDITATION_FILTER_LABELS = [
    ("referenced", _lazy("referenced")),
    ("suspended", _lazy("suspended")),
    ("expired", _lazy("expired")),
    ("none", _lazy("not referenced yet")),
]


@require_http_methods(["GET", "POST"])
def edit_profile(request):
    """The expert edits their own profile; users without one get 403."""
    expert = selectors.profile_of(request.user)
    allowed(can_edit_profile, request.user, expert)
    form = ProfileForm(
        request.POST or None,
        initial=ProfileForm.initial_for(expert),
        axes=selectors.axis_choices(),
        themes=list(selectors.themes()),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with reported(request, form) as outcome:
            services.update_profile(
                expert=expert,
                by=request.user,
                organisation=data["organisation"],
                bio=data["bio"],
                regions=data["regions"],
                languages=data["languages"],
                day_rate=data["day_rate"],
                capacity=data["capacity"],
                axis_skills=form.axis_skills(),
                theme_skills=form.theme_skills(),
            )
        if outcome.ok:
            messages.success(request, _("Your profile is saved."))
            return redirect("experts:profile", pk=expert.pk)
    return render(request, "experts/profile_form.html", {"form": form, "expert": expert})


@require_GET
def accreditations(request):
    """Staff: every expert with their accreditation (its status as it stands today and its last valid
    day) and free places; filtered by status and searched by name, e-mail or organisation."""
    allowed(can_manage_accreditations, request.user)
    status = request.GET.get("status", "")
    status = status if status in selectors.ACCREDITATION_FILTERS else ""
    search = request.GET.get("q", "").replace("\x00", "").strip()[:200]  # PostgreSQL refuses NUL
    context = {
        "experts": list(selectors.experts_for_staff(status=status, search=search)),
        "status": status,
        "search": search,
        "filters": ACCREDITATION_FILTER_LABELS,
    }
    return render(request, "experts/accreditation_list.html", context)


@require_http_methods(["GET", "POST"])
def edit_accreditation(request, pk):
    """Staff: reference, renew, suspend or expire one expert; the history below the form."""
    allowed(can_manage_accreditations, request.user)
    expert = found(selectors.expert_for_staff(pk), _("No expert has this number."))
    current = selectors.current_accreditation(expert)
    form = AccreditationForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        with reported(request, form) as outcome:
            services.change_accreditation(
                expert=expert,
                by=request.user,
                status=form.cleaned_data["status"],
                valid_until=form.cleaned_data["valid_until"],
                comment=form.cleaned_data["comment"],
            )
        if outcome.ok:
            messages.success(request, _("The accreditation of %(expert)s is saved.") % {"expert": expert.name})
            return redirect("experts:edit_accreditation", pk=expert.pk)
    return render(
        request,
        "experts/accreditation_form.html",
        {"expert": expert, "current": current, "form": form, "history": selectors.accreditation_history(expert)},
    )


@require_http_methods(["GET", "POST"])
def register_expert(request):
    """Staff: give a person an expert profile (then reference them)."""
    allowed(can_manage_accreditations, request.user)
    form = RegisterExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with reported(request, form) as outcome:
            expert = services.register_expert(by=request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("%(expert)s is registered; reference them now.") % {"expert": expert.name})
            return redirect("experts:edit_accreditation", pk=expert.pk)
    return render(request, "experts/register_expert.html", {"form": form})
