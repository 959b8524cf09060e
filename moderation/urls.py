from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("decide/", views.queue_decide, name="queue_decide"),
    path("items/<uuid:code>/", views.item_detail, name="item"),
    path("items/<uuid:code>/decide/", views.item_decide, name="item_decide"),
    path("items/<uuid:code>/missed/", views.item_missed, name="item_missed"),
    path("actions/<uuid:code>/reference/", views.action_reference, name="action_reference"),
    path("audit/", views.audit_log, name="audit"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/<uuid:code>/thresholds/", views.account_thresholds, name="thresholds"),
    path("accounts/<uuid:code>/thresholds/set/", views.threshold_set, name="threshold_set"),
    path("accounts/<uuid:code>/thresholds/remove/", views.threshold_remove, name="threshold_remove"),
]
