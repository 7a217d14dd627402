from __future__ import annotations

from rest_framework import serializers

from ..models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_username", read_only=True)
    contact = serializers.IntegerField(source="contact_id", read_only=True, allow_null=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "action",
            "object_type",
            "object_id",
            "object_ids",
            "contact",
            "via",
            "ip",
            "detail",
            "reason",
        ]
        read_only_fields = fields
