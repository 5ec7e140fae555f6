from rest_framework import serializers

from safeward.core.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    # The trail must say who did what to which record; only auditors (core.view_auditevent,
    # the police) read it, within their scope.
    public_fields = dict.fromkeys(
        ("actor_label", "object_label", "reason"),
        "the audit trail, read only by holders of core.view_auditevent within their scope",
    )
    seal_seq = serializers.IntegerField(source="seal.seq", read_only=True, default=None)
    hash = serializers.CharField(source="seal.hash", read_only=True, default=None)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "occurred_at",
            "actor_id",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_label",
            "unit_id",
            "request_id",
            "ip",
            "reason",
            "changes",
            "sensitive_read",
            "seal_seq",
            "hash",
        ]
