from __future__ import annotations

from rest_framework import serializers

from crm.models import AdminUnit, Contact, Identity, Interaction


class AdminUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdminUnit
        fields = ["id", "code", "name", "name_en", "level", "path"]


class IdentitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Identity
        fields = ["scheme", "value", "verified", "opted_out_at"]


class ContactSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)
    identities = IdentitySerializer(many=True, read_only=True)
    address_unit = AdminUnitSerializer(read_only=True, allow_null=True)
    target_groups = serializers.SlugRelatedField(many=True, slug_field="code", read_only=True)
    merged_into = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "display_name",
            "first_name",
            "last_name",
            "middle_name",
            "birth_date",
            "sex",
            "address_unit",
            "address_text",
            "preferred_language",
            "preferred_channel",
            "target_groups",
            "lives_alone",
            "consent_data_processing",
            "consent_messages",
            "is_identified",
            "identities",
            "merged_into",
            "created_at",
        ]


class InteractionSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Interaction
        fields = [
            "id",
            "channel",
            "direction",
            "kind",
            "body",
            "address",
            "status",
            "error_code",
            "error_message",
            "author",
            "conversation",
            "occurred_at",
        ]


class ContactMergeRequestSerializer(serializers.Serializer):
    duplicate = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="id of the contact to fold into this one"
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.JSONField(required=False)


class RegistryLookupSerializer(serializers.Serializer):
    national_id = serializers.CharField(
        max_length=20, help_text="Mongolian registration number (УБ65031512) or Kazakh IIN"
    )
