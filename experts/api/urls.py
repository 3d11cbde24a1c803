from django.urls import path

from experts.api import views
from portal.api import converters  # noqa: F401  (registers <id:…>)

app_name = "experts_api"

urlpatterns = [
    path("experts/", views.ExpertList.as_view(), name="expert_list"),
    path("experts/<id:pk>/", views.ExpertDetail.as_view(), name="expert_detail"),
]
