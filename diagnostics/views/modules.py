"""The deep-dive modules of a diagnostic: after the core, the suggested modules with their reasons
and minutes, the other modules, the first score; the company opens a module or puts it off.

The diagnostic comes through the scoped selector (not visible: 404); a POST by anyone but the
company's members on a draft is a 403. Writes go through `services.decide_module`.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from diagnostics import rules, selectors, services
from diagnostics.models import DiagnosticAccess, MaturityBand
from portal.http import allowed, found

DECISIONS = {"open": True, "later": False}


def _decide(request, diagnostic):
    allowed(
        rules.can_choose_modules,
        request.user,
        diagnostic,
        message=_("Only the company's members choose the modules of a diagnostic in progress."),
    )
    module = diagnostic.referential.modules.filter(code=request.POST.get("module", "")[:40]).first()
    decision = request.POST.get("decision")
    if module is None or decision not in DECISIONS:
        messages.error(request, _("Choose a module of this questionnaire, then “open” or “not now”."))
        return redirect("diagnostics:modules", pk=diagnostic.pk)
    try:
        services.decide_module(diagnostic=diagnostic, module=module, opened=DECISIONS[decision], by=request.user)
    except services.DiagnosticError as error:
        messages.error(request, str(error))
        return redirect("diagnostics:modules", pk=diagnostic.pk)
    if not DECISIONS[decision]:
        messages.info(request, _("The module “%(title)s” is put off; you can open it later.") % {"title": module.title})
        return redirect("diagnostics:modules", pk=diagnostic.pk)
    messages.success(request, _("The module “%(title)s” is open: its questions follow.") % {"title": module.title})
    first = module.questions.select_related("axis").order_by("axis__order", "order", "pk").first()
    if first is None:  # only a draft edited in the admin may have an empty module
        return redirect("diagnostics:modules", pk=diagnostic.pk)
    url = reverse("diagnostics:axis", args=[diagnostic.pk, first.axis.code])
    return redirect(f"{url}#q-{first.code}")


@require_http_methods(["GET", "POST"])
def modules(request, pk):
    """GET: the modules and the first score; POST (`module`, `decision` open or later): record the choice."""
    diagnostic = found(selectors.visible_diagnostic(request.user, pk), _("No diagnostic you may see has this number."))
    if request.method == "POST":
        return _decide(request, diagnostic)
    services.record_access(diagnostic=diagnostic, user=request.user, what=DiagnosticAccess.What.ANSWERS)
    page = selectors.modules_page(diagnostic)
    band = None
    if page.score is not None:
        band = MaturityBand.objects.filter(referential_id=diagnostic.referential_id, level=page.score.band).first()
    axes = selectors.axes_with_progress(diagnostic)
    context = {
        "diagnostic": diagnostic,
        "page": page,
        "band": band,
        "axes": axes,
        "progress": selectors.overall_progress(axes),
        "can_edit": rules.can_choose_modules.test(request.user, diagnostic),
    }
    return render(request, "diagnostics/modules.html", context)
