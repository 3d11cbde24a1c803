from django.urls import path, re_path

from regions.views import application_file, audit, claims, closing, company, dashboard, officer, opendata, shared

app_name = "regions"

urlpatterns = [
    # Officers and staff (views/officer.py)
    path("ma-region/", officer.my_region, name="my_region"),
    path("programmes/nouveau/", officer.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", officer.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/modifier/", officer.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/statut/", officer.programme_status, name="programme_status"),
    path("programmes/<int:pk>/cloture/", closing.programme_settle, name="programme_settle"),
    path("programmes/<int:pk>/bilan/", closing.statement, name="closing_statement"),
    path("programmes/<int:pk>/bilan.pdf", closing.statement_pdf, name="closing_statement_pdf"),
    re_path(
        r"^programmes/(?P<pk>[0-9]+)/bilan\.(?P<fmt>csv|xlsx)$",
        closing.statement_export,
        name="closing_statement_export",
    ),
    path("candidatures/<int:pk>/", officer.enrolment_detail, name="enrolment_detail"),
    re_path(
        r"^candidatures/(?P<pk>[0-9]+)/(?P<action>review|send_back|resubmit|accept|refuse|start|complete|withdraw)/$",
        officer.enrolment_action,
        name="enrolment_action",
    ),
    path("programmes/<int:pk>/decisions/", officer.batch_decision, name="batch_decision"),
    path("candidatures/<int:pk>/documents/", application_file.document_add, name="document_add"),
    path("documents/<int:pk>/", application_file.document_download, name="document_download"),
    path("candidatures/<int:pk>/experts/", officer.enrolment_experts, name="enrolment_experts"),
    path("candidatures/<int:pk>/depenses/nouvelle/", officer.expense_create, name="expense_create"),
    path("depenses/<int:pk>/annuler/", officer.expense_cancel, name="expense_cancel"),
    # Payment claims (views/claims.py)
    path("candidatures/<int:pk>/demandes-de-paiement/", claims.claim_submit, name="claim_submit"),
    path("demandes-de-paiement/", claims.claims_to_process, name="claims_to_process"),
    path("demandes-de-paiement/<int:pk>/", claims.claim_detail, name="claim_detail"),
    re_path(
        r"^demandes-de-paiement/(?P<pk>[0-9]+)/(?P<action>certify|reject|pay)/$",
        claims.claim_action,
        name="claim_action",
    ),
    path("factures/<int:pk>/", claims.invoice_download, name="invoice_download"),
    # Dashboards and exports (views/dashboard.py)
    path("tableau-de-bord/", dashboard.dashboard, name="dashboard"),
    re_path(
        r"^tableau-de-bord/(?P<kind>candidatures|depenses|paiements)\.(?P<fmt>csv|xlsx)$",
        dashboard.export,
        name="export",
    ),
    re_path(r"^tableau-de-bord/dma-(?P<region>[0-9AB]{2})\.csv$", dashboard.dma_export, name="dma_export"),
    path("national/", dashboard.national, name="national"),
    # The audit trail (views/audit.py)
    path("journal/", audit.audit_trail, name="audit_trail"),
    path("diagnostics-partages/", shared.shared_diagnostics, name="shared_diagnostics"),
    # Open data (views/opendata.py): public
    path("donnees-ouvertes/", opendata.open_data, name="open_data"),
    re_path(r"^donnees-ouvertes/agregats\.(?P<fmt>json|csv)$", opendata.open_data_file, name="open_data_file"),
    # Companies (views/company.py)
    path("programmes-ouverts/", company.company_programmes, name="company_programmes"),
    path("programmes-ouverts/<int:pk>/candidater/", company.apply, name="apply"),
    path("mes-candidatures/", company.my_applications, name="my_applications"),
]
