from django.urls import path

from regions import views

app_name = "regions"

urlpatterns = [
    path("ma-region/", views.my_region, name="my_region"),
    path("national/", views.national, name="national"),
]
