"""The admin site: it asks the access module who may enter (bureau staff only); what each may do
inside is Django's model permissions of the bureau's group."""

from django.contrib import admin


class AdminSite(admin.AdminSite):
    site_header = "吕梁市生态文明建设示范区 管理后台"
    site_title = "吕梁生态文明 管理后台"
    index_title = "数据管理"

    def has_permission(self, request) -> bool:
        from counties.access import can_use_admin  # models are not ready when this is loaded

        return request.user.is_active and can_use_admin(request.user)
