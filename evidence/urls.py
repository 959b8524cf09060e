from django.urls import path

from evidence import incident_views, upload_views, views

app_name = "evidence"

urlpatterns = [
    path("packs/", views.packs, name="packs"),
    path("packs/new/", views.pack_new, name="pack_new"),
    path("packs/<uuid:code>/download/", views.pack_download, name="pack_download"),
    path("packs/pick/", views.pack_select, name="pack_select"),
    path("packs/pick/build/", views.pack_selection_build, name="pack_selection_build"),
    path("incidents/", incident_views.incident_list, name="incidents"),
    path("incidents/new/", incident_views.incident_new, name="incident_new"),
    path("incidents/<uuid:code>/", incident_views.incident_detail, name="incident"),
    path("incidents/<uuid:code>/edit/", incident_views.incident_edit, name="incident_edit"),
    path("artefacts/<uuid:code>/", views.artefact_view, name="artefact"),
    path("artefacts/<uuid:code>/reveal/", views.artefact_reveal, name="artefact_reveal"),
    path("artefacts/<uuid:code>/note/", views.artefact_note, name="artefact_note"),
    path("artefacts/<uuid:code>/redact/", views.artefact_redaction, name="artefact_redact"),
    path("custody/", views.custody_log, name="custody"),
    path("uploads/", upload_views.uploads, name="uploads"),
    path("uploads/screenshot/", upload_views.upload_screenshot, name="upload_screenshot"),
    path("uploads/whatsapp/", upload_views.upload_whatsapp, name="upload_whatsapp"),
    path("uploads/whatsapp/<uuid:job>/", upload_views.whatsapp_import_status, name="whatsapp_import"),
    path(
        "uploads/whatsapp/<uuid:job>/progress/", upload_views.whatsapp_import_progress, name="whatsapp_import_progress"
    ),
]
