from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("", views.submission_list, name="list"),
    path("todo/", views.todo, name="todo"),
    path("rates/", views.reporting_rates, name="rates"),
    path("approve/", views.approve_many, name="approve_many"),
    path("uploads/<int:pk>/", views.upload_detail, name="upload"),
    path("uploads/<int:pk>/confirm/", views.upload_confirm, name="upload_confirm"),
    path("uploads/<int:pk>/file/", views.upload_file, name="upload_file"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("questions/<int:pk>/<str:action>/", views.question_act, name="question_act"),
    path("<str:code>/<int:year>/questions/", views.question_ask, name="question_ask"),
    path("<str:code>/<int:year>/dossier.zip", views.dossier_download, name="dossier"),
    path("<str:code>/<int:year>/evidence/", views.evidence_attach, name="evidence_attach"),
    path("<str:code>/<int:year>/", views.submission_detail, name="detail"),
    path("<str:code>/<int:year>/template/", views.template_download, name="template"),
    path("<str:code>/<int:year>/form/", views.entry_form, name="form"),
    path("<str:code>/<int:year>/upload/", views.upload_create, name="upload_create"),
    path("<str:code>/<int:year>/history/", views.history_export, name="history_export"),
    path("<str:code>/<int:year>/values/<str:indicator>/", views.value_history, name="value"),
    path("<str:code>/<int:year>/<str:action>/", views.submission_action, name="action"),
]
