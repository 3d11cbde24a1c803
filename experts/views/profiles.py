"""The expert's own profile form, and the staff's accreditation pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from experts import selectors, services
from experts.exceptions import ExpertsError, NotAllowed
from experts.forms import AccreditationForm, ProfileForm, RegisterExpertForm
from experts.models import Expert
from experts.rules import can_manage_accreditations


@require_http_methods(["GET", "POST"])
def edit_profile(request):
    """The expert edits their own profile; users without one get 403."""
    expert = selectors.profile_of(request.user)
    if expert is None:
        raise PermissionDenied
    form = ProfileForm(
        request.POST or None,
        initial=ProfileForm.initial_for(expert),
        axes=selectors.axis_choices(),
        themes=list(selectors.themes()),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
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
        except NotAllowed as error:
            raise PermissionDenied from error
        except ExpertsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("experts:profile", pk=expert.pk)
    return render(request, "experts/profile_form.html", {"form": form, "expert": expert})


def _staff_only(request):
    if not can_manage_accreditations.test(request.user):
        raise PermissionDenied


@require_GET
def accreditations(request):
    """Staff: every expert with their accreditation and free places."""
    _staff_only(request)
    return render(request, "experts/accreditation_list.html", {"experts": selectors.experts_for_staff()})


@require_http_methods(["GET", "POST"])
def edit_accreditation(request, pk):
    """Staff: reference, renew, suspend or expire one expert; the history below the form."""
    _staff_only(request)
    expert = Expert.objects.select_related("user").filter(pk=pk).first()
    if expert is None:
        raise Http404(_("No expert has this number."))
    current = selectors.current_accreditation(expert)
    form = AccreditationForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_accreditation(
                expert=expert,
                by=request.user,
                status=form.cleaned_data["status"],
                valid_until=form.cleaned_data["valid_until"],
                comment=form.cleaned_data["comment"],
            )
        except NotAllowed as error:
            raise PermissionDenied from error
        except ExpertsError as error:
            form.add_error(None, str(error))
        else:
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
    _staff_only(request)
    form = RegisterExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            expert = services.register_expert(by=request.user, **form.cleaned_data)
        except NotAllowed as error:
            raise PermissionDenied from error
        except ExpertsError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(expert)s is registered; reference them now.") % {"expert": expert.name})
            return redirect("experts:edit_accreditation", pk=expert.pk)
    return render(request, "experts/register_expert.html", {"form": form})
