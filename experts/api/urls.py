from django.urls import path

from experts.api import views

app_name = "experts_api"

urlpatterns = [
    path("experts/", views.ExpertList.as_view(), name="expert_list"),
    path("experts/<int:pk>/", views.ExpertDetail.as_view(), name="expert_detail"),
]
