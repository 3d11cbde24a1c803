from django.urls import path

from diagnostics import views

app_name = "diagnostics"

urlpatterns = [
    path("referentiel/", views.referential, name="referential"),
]
