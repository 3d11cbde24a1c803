from django.urls import path

from portal.api import views as api_views
from portal.views import accounts, inbox, privacy, security

app_name = "portal"

urlpatterns = [
    path("inscription/", accounts.signup, name="signup"),
    path("inscription/envoyee/", accounts.signup_sent, name="signup_sent"),
    path("inscription/confirmer/<str:token>/", accounts.signup_confirm, name="signup_confirm"),
    path("compte/securite/", security.security_page, name="security"),
    path("compte/securite/authentificateur/", security.otp_setup, name="otp_setup"),
    path("compte/securite/authentificateur/retirer/", security.otp_remove, name="otp_remove"),
    path("compte/securite/codes-de-secours/", security.recovery_codes, name="recovery_codes"),
    path("compte/verification/", security.otp_verify, name="otp_verify"),
    path("compte/acces-api/", api_views.api_tokens, name="api_tokens"),
    path("compte/acces-api/<int:pk>/revoquer/", api_views.api_token_revoke, name="api_token_revoke"),
    path("compte/messages/", inbox.inbox_page, name="inbox"),
    path("compte/messages/<int:pk>/lu/", inbox.inbox_mark_read, name="inbox_mark_read"),
    path("compte/messages/tout-lu/", inbox.inbox_mark_all_read, name="inbox_mark_all_read"),
    path("compte/messages/e-mails/", inbox.email_delivery, name="email_delivery"),
    path("entreprise/", accounts.my_company, name="my_company"),
    path("entreprise/<int:pk>/", accounts.company_detail, name="company_detail"),
    path("invitation/<str:token>/", accounts.accept_invitation, name="accept_invitation"),
    path("confidentialite/", privacy.privacy_notice, name="privacy"),
    path("entreprise/<int:pk>/donnees/", privacy.company_data, name="company_data"),
    path("entreprise/<int:pk>/donnees/export/", privacy.company_export, name="company_export"),
    path("entreprise/<int:pk>/fermer/", privacy.company_close, name="company_close"),
]
