from django.urls import path

from experts.views import assignments, conflicts, directory, profiles, reviews, validation

app_name = "experts"

urlpatterns = [
    # The public directory (views/directory.py)
    path("", directory.directory, name="directory"),
    path("<int:pk>/", directory.profile, name="profile"),
    # The expert's own profile and the staff's accreditations (views/profiles.py)
    path("mon-profil/", profiles.edit_profile, name="edit_profile"),
    path("mon-profil/conflits/", conflicts.conflicts, name="conflicts"),
    path("mon-profil/conflits/<int:pk>/retirer/", conflicts.withdraw, name="conflict_withdraw"),
    path("accreditations/", profiles.accreditations, name="accreditations"),
    path("accreditations/nouvel-expert/", profiles.register_expert, name="register_expert"),
    path("accreditations/<int:pk>/", profiles.edit_accreditation, name="edit_accreditation"),
    # Assignments (views/assignments.py) and reviews (views/reviews.py)
    path("mes-missions/", assignments.my_assignments, name="my_assignments"),
    path("missions/", assignments.assignment_list, name="assignments"),
    path("missions/<int:pk>/", assignments.assignment_detail, name="assignment"),
    path("missions/<int:pk>/accepter/", assignments.accept, name="accept"),
    path("missions/<int:pk>/refuser/", assignments.decline, name="decline"),
    path("missions/<int:pk>/demarrer/", assignments.start, name="start"),
    path("missions/<int:pk>/annuler/", assignments.cancel, name="cancel"),
    path("missions/<int:pk>/visites/nouvelle/", assignments.log_visit, name="log_visit"),
    path("missions/<int:pk>/revue/", reviews.review, name="review"),
    path("missions/<int:pk>/validation/", validation.validation, name="validation"),
    path("entreprises/<int:company_pk>/proposer/", assignments.propose, name="propose"),
]
