from django.urls import path, re_path

from diagnostics.views import (
    curation,
    evidence,
    modules,
    plan,
    questionnaire,
    referential,
    reports,
    respondents,
    results,
    sharing,
)

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
    # The Alliance staff's referential versions (views/curation.py): upload, differences, publish, retire
    path("referentiels/", curation.referential_versions, name="referential_versions"),
    path("referentiels/<int:pk>/", curation.referential_version, name="referential_version"),
    path("referentiels/<int:pk>/publier/", curation.referential_publish, name="referential_publish"),
    path("referentiels/<int:pk>/retirer/", curation.referential_retire, name="referential_retire"),
    # A company's diagnostics and the questionnaire (views/questionnaire.py)
    path("entreprise/<int:company_pk>/", questionnaire.company_diagnostics, name="company_diagnostics"),
    path("entreprise/<int:company_pk>/nouveau/", questionnaire.start, name="start"),
    path("<int:pk>/", questionnaire.detail, name="detail"),
    path("<int:pk>/axe/<str:axis_code>/", questionnaire.axis_page, name="axis"),
    path("<int:pk>/reponse/<int:question_pk>/", questionnaire.autosave, name="autosave"),
    # Evidence on answers (views/evidence.py): one question's evidence, removal, the permission-checked download
    path("<int:pk>/reponse/<int:question_pk>/preuves/", evidence.evidence, name="evidence"),
    path("<int:pk>/preuves/<int:evidence_pk>/retirer/", evidence.evidence_remove, name="evidence_remove"),
    path("<int:pk>/preuves/<int:evidence_pk>/", evidence.evidence_download, name="evidence_download"),
    path("<int:pk>/modules/", modules.modules, name="modules"),
    path("<int:pk>/relecture/", questionnaire.review, name="review"),
    path("<int:pk>/soumettre/", questionnaire.submit, name="submit"),
    # Several respondents: who answers, their divergence, the consensus step (views/respondents.py)
    path("<int:pk>/repondants/", respondents.respondents, name="respondents"),
    path("<int:pk>/divergences/", respondents.divergence, name="divergence"),
    path("<int:pk>/consensus/", respondents.consensus, name="consensus"),
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
