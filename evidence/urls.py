from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("packs/", views.packs, name="packs"),
    path("packs/new/", views.pack_new, name="pack_new"),
    path("packs/<uuid:code>/download/", views.pack_download, name="pack_download"),
]
