from django.urls import path

from diagnostics.api import views
from portal.api import converters  # noqa: F401  (registers <id:…>)

app_name = "diagnostics_api"

urlpatterns = [
    path("referentials/", views.ReferentialVersionList.as_view(), name="referential_list"),
    path(
        "referentials/<slug:code>/<str:version>/", views.ReferentialVersionDetail.as_view(), name="referential_detail"
    ),
    path("diagnostics/", views.DiagnosticList.as_view(), name="diagnostic_list"),
    path("diagnostics/<id:pk>/", views.DiagnosticDetail.as_view(), name="diagnostic_detail"),
    path("diagnostics/<id:pk>/answers/", views.AnswerList.as_view(), name="answer_list"),
    path("diagnostics/<id:pk>/answers/<str:question>/", views.AnswerSave.as_view(), name="answer_save"),
]
