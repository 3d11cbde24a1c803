from django.urls import path

from diagnostics.views import referential

app_name = "diagnostics"

urlpatterns = [
    path("referentiel/", referential.referential, name="referential"),
]
