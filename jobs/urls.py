from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("rebuild/", views.rebuild, name="rebuild"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/state.json", views.job_state, name="state"),
]
