from django.urls import path, re_path

from diagnostics.views import plan, questionnaire, referential, reports, results, sharing

app_name = "diagnostics"

urlpatterns = [
    path("referentiel/", referential.referential, name="referential"),
    # The open referential (views/referential.py): every public version as a file, and what changed between two
    re_path(
        r"^referentiel/telecharger/(?P<code>[a-z0-9][a-z0-9-]{0,39})/(?P<version>[0-9A-Za-z][0-9A-Za-z.-]{0,19})\.(?P<fmt>yaml|json|xlsx)$",
        referential.referential_download,
        name="referential_download",
    ),
    path("referentiel/differences/", referential.referential_compare, name="referential_compare"),
    # A company's diagnostics and the questionnaire (views/questionnaire.py)
    path("entreprise/<int:company_pk>/", questionnaire.company_diagnostics, name="company_diagnostics"),
    path("entreprise/<int:company_pk>/nouveau/", questionnaire.start, name="start"),
    path("<int:pk>/", questionnaire.detail, name="detail"),
    path("<int:pk>/axe/<str:axis_code>/", questionnaire.axis_page, name="axis"),
    path("<int:pk>/reponse/<int:question_pk>/", questionnaire.autosave, name="autosave"),
    path("<int:pk>/relecture/", questionnaire.review, name="review"),
    path("<int:pk>/soumettre/", questionnaire.submit, name="submit"),
    # Results of a submitted diagnostic (views/results.py)
    path("<int:pk>/resultats/", results.results, name="results"),
    # The action plan (views/plan.py): the page, the company's follow-up, the expert's edits
    path("<int:pk>/plan/", plan.plan_page, name="plan"),
    path("<int:pk>/plan/action/<int:action_pk>/suivi/", plan.follow_action, name="plan_follow_action"),
    path("<int:pk>/plan/action/<int:action_pk>/modifier/", plan.edit_action, name="plan_edit_action"),
    path("<int:pk>/plan/ajouter/", plan.add_action, name="plan_add_action"),
    path("<int:pk>/plan/valider/", plan.validate, name="plan_validate"),
    # The PDF report (views/reports.py): live status for htmx, download, new render
    path("<int:pk>/rapport/statut/", reports.report_status, name="report_status"),
    path("<int:pk>/rapport/telecharger/", reports.report_download, name="report_download"),
    path("<int:pk>/rapport/mettre-a-jour/", reports.report_rerender, name="report_rerender"),
    path("<int:pk>/resultats/chiffres-du-jour/", reports.update_report_figures, name="update_report_figures"),
    # Sharing scope and who viewed the company's diagnostics (views/sharing.py)
    path("<int:pk>/partage-region/", sharing.share_with_region, name="share_with_region"),
    path("<int:pk>/consultations/", sharing.diagnostic_access_log, name="diagnostic_access_log"),
    path("entreprise/<int:company_pk>/consultations/", sharing.company_access_log, name="company_access_log"),
]
