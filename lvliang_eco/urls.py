from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("counties/", views.comparison, name="comparison"),
    path("counties/<str:code>/", views.county, name="county"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/<str:code>/", views.indicator, name="indicator"),
    path("investment/", views.investment, name="investment"),
    path("quality/", views.data_quality, name="quality"),
    path("plan/", views.plan, name="plan"),
    path("exports/table1.xlsx", views.export_table_1, name="export_table_1"),
    path("exports/table3.xlsx", views.export_table_3, name="export_table_3"),
    path("reports/annual.docx", views.annual_report, name="annual_report"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("submissions/", include("submissions.urls")),
    path("jobs/", include("jobs.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", views.favicon, name="favicon"),
]
