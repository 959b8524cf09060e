from django.urls import path

from moderation import export_views

app_name = "exports"

urlpatterns = [
    path("", export_views.export_list, name="list"),
    path("new/", export_views.export_create, name="create"),
    path("<uuid:code>/", export_views.export_detail, name="detail"),
    path("<uuid:code>/progress/", export_views.export_progress, name="progress"),
    path("<uuid:code>/download/", export_views.export_download, name="download"),
]
