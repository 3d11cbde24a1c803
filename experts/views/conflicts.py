"""The conflicts of interest an expert declares on their profile (a company's SIREN and a note)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from experts import selectors, services
from experts.models import ConflictOfInterest
from experts.rules import can_edit_profile
from experts.services.conflicts import NOTE_MAX_LENGTH
from portal.http import allowed, found, reported


class ConflictForm(forms.Form):
    siren = forms.CharField(
        label=gettext_lazy("SIREN of the company"),
        max_length=20,
        help_text=gettext_lazy("9 digits (the first nine of the company's SIRET)."),
    )
    note = forms.CharField(
        label=gettext_lazy("What the conflict is"),
        max_length=NOTE_MAX_LENGTH,
        help_text=gettext_lazy("A family tie, a past employer, a stake, a competing client… Read by the officers."),
    )


@require_http_methods(["GET", "POST"])
def conflicts(request):
    """The expert's declared conflicts, and the form to declare one; users without a profile get 403."""
    expert = selectors.profile_of(request.user)
    allowed(can_edit_profile, request.user, expert)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with reported(request, form) as outcome:
            conflict = services.declare_conflict(
                expert=expert, siren=form.cleaned_data["siren"], note=form.cleaned_data["note"], by=request.user
            )
        if outcome.ok:
            messages.success(
                request,
                _("Declared: you will not be proposed to the company of SIREN %(siren)s.") % {"siren": conflict.siren},
            )
            return redirect("experts:conflicts")
    context = {"expert": expert, "form": form, "conflicts": ConflictOfInterest.objects.filter(expert=expert)}
    return render(request, "experts/conflicts.html", context, status=400 if form.errors else 200)


@require_POST
def withdraw(request, pk):
    """The expert withdraws one of their own conflicts (another expert's: 404)."""
    expert = selectors.profile_of(request.user)
    allowed(can_edit_profile, request.user, expert)
    conflict = found(ConflictOfInterest.objects.filter(expert=expert, pk=pk).select_related("expert").first())
    with reported(request) as outcome:
        services.withdraw_conflict(conflict=conflict, by=request.user)
    if outcome.ok:
        messages.success(request, _("The conflict of interest is withdrawn."))
    return redirect("experts:conflicts")
