from django.urls import path

from portal.api import converters  # noqa: F401  (registers <id:…>)
from regions.api import views

app_name = "regions_api"

urlpatterns = [
    path("programmes/", views.ProgrammeList.as_view(), name="programme_list"),
    path("programmes/<id:pk>/", views.ProgrammeDetail.as_view(), name="programme_detail"),
    path("enrolments/", views.EnrolmentList.as_view(), name="enrolment_list"),
    path("enrolments/<id:pk>/", views.EnrolmentDetail.as_view(), name="enrolment_detail"),
    path("enrolments/<id:pk>/review/", views.EnrolmentReview.as_view(), name="enrolment_review"),
    path("enrolments/<id:pk>/accept/", views.EnrolmentAccept.as_view(), name="enrolment_accept"),
    path("enrolments/<id:pk>/refuse/", views.EnrolmentRefuse.as_view(), name="enrolment_refuse"),
    path("enrolments/<id:pk>/start/", views.EnrolmentStart.as_view(), name="enrolment_start"),
    path("enrolments/<id:pk>/complete/", views.EnrolmentComplete.as_view(), name="enrolment_complete"),
    path("enrolments/<id:pk>/withdraw/", views.EnrolmentWithdraw.as_view(), name="enrolment_withdraw"),
]
