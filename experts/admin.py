from django.contrib import admin

from experts.models import Expert


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "created_at"]
    search_fields = ["user__email", "user__last_name", "organisation"]
    raw_id_fields = ["user"]
