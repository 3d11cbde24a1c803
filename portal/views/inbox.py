"""The user's inbox (every message the portal sent them) and how its e-mails reach them."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from portal import selectors
from portal.forms import EmailDeliveryForm
from portal.services import inbox

PAGE_SIZE = 20


@require_http_methods(["GET", "HEAD"])
def inbox_page(request):
    page = Paginator(selectors.inbox_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/inbox.html", {"page": page})


@require_POST
def inbox_mark_read(request, pk):
    inbox.mark_read(user=request.user, message_id=pk)
    page = request.POST.get("page", "")
    return redirect(reverse("portal:inbox") + (f"?page={page}" if page.isdigit() else "") + f"#message-{pk}")


@require_POST
def inbox_mark_all_read(request):
    count = inbox.mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext("%(count)d message marked as read.", "%(count)d messages marked as read.", count) % {"count": count},
    )
    return redirect("portal:inbox")


@require_http_methods(["GET", "POST"])
def email_delivery(request):
    form = EmailDeliveryForm(request.POST or None, initial={"delivery": request.user.email_delivery})
    if request.method == "POST":
        if form.is_valid():
            inbox.set_email_delivery(user=request.user, delivery=form.cleaned_data["delivery"])
            messages.success(request, _("Your choice is saved."))
            return redirect("portal:email_delivery")
        return render(request, "portal/email_delivery.html", {"form": form}, status=400)
    return render(request, "portal/email_delivery.html", {"form": form})
