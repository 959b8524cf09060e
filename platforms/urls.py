from django.urls import path

from platforms import views

app_name = "platforms"

urlpatterns = [
    path("x/connect/", views.connect_x, name="connect_x"),
    path("x/connect/start/", views.connect_x_start, name="connect_x_start"),
    path("x/callback/", views.x_callback, name="x_callback"),
    path("x/accounts/<uuid:code>/reconnect/", views.reconnect_x, name="reconnect_x"),
]
