from django.urls import path

from experts import views

app_name = "experts"

urlpatterns = [
    path("mes-missions/", views.my_assignments, name="my_assignments"),
]
