from django.urls import path

from team import views

app_name = "team"

urlpatterns = [
    path("", views.members, name="members"),
    path("accounts/<uuid:code>/invite/", views.invite, name="invite"),
    path("members/<uuid:code>/role/", views.member_role, name="member_role"),
    path("members/<uuid:code>/remove/", views.member_remove, name="member_remove"),
    path("invitations/<uuid:code>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("join/<str:secret>/", views.join, name="join"),
    path("security/", views.security, name="security"),
    path("security/recovery-codes/", views.recovery_codes_regenerate, name="recovery_codes"),
    path("two-step/setup/", views.two_step_setup, name="two_step_setup"),
    path("two-step/verify/", views.two_step_verify, name="two_step_verify"),
]
