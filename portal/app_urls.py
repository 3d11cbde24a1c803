from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("entreprise/", views.my_company, name="my_company"),
    path("entreprise/<int:pk>/", views.company_detail, name="company_detail"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
