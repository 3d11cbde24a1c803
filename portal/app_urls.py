from django.urls import path

from portal import privacy_views, security_views, views
from portal.api import views as api_views

app_name = "portal"

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_sent, name="signup_sent"),
    path("inscription/confirmer/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("compte/securite/", security_views.security_page, name="security"),
    path("compte/securite/authentificateur/", security_views.otp_setup, name="otp_setup"),
    path("compte/securite/authentificateur/retirer/", security_views.otp_remove, name="otp_remove"),
    path("compte/securite/codes-de-secours/", security_views.recovery_codes, name="recovery_codes"),
    path("compte/verification/", security_views.otp_verify, name="otp_verify"),
    path("compte/acces-api/", api_views.api_tokens, name="api_tokens"),
    path("compte/acces-api/<int:pk>/revoquer/", api_views.api_token_revoke, name="api_token_revoke"),
    path("entreprise/", views.my_company, name="my_company"),
    path("entreprise/<int:pk>/", views.company_detail, name="company_detail"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("confidentialite/", privacy_views.privacy_notice, name="privacy"),
    path("entreprise/<int:pk>/donnees/", privacy_views.company_data, name="company_data"),
    path("entreprise/<int:pk>/donnees/export/", privacy_views.company_export, name="company_export"),
    path("entreprise/<int:pk>/fermer/", privacy_views.company_close, name="company_close"),
]
