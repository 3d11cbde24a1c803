from django.urls import path

from regions.api import views

app_name = "regions_api"

urlpatterns = [
    path("programmes/", views.ProgrammeList.as_view(), name="programme_list"),
    path("programmes/<int:pk>/", views.ProgrammeDetail.as_view(), name="programme_detail"),
    path("enrolments/", views.EnrolmentList.as_view(), name="enrolment_list"),
    path("enrolments/<int:pk>/", views.EnrolmentDetail.as_view(), name="enrolment_detail"),
    path("enrolments/<int:pk>/review/", views.EnrolmentReview.as_view(), name="enrolment_review"),
    path("enrolments/<int:pk>/accept/", views.EnrolmentAccept.as_view(), name="enrolment_accept"),
    path("enrolments/<int:pk>/refuse/", views.EnrolmentRefuse.as_view(), name="enrolment_refuse"),
    path("enrolments/<int:pk>/start/", views.EnrolmentStart.as_view(), name="enrolment_start"),
    path("enrolments/<int:pk>/complete/", views.EnrolmentComplete.as_view(), name="enrolment_complete"),
    path("enrolments/<int:pk>/withdraw/", views.EnrolmentWithdraw.as_view(), name="enrolment_withdraw"),
]
