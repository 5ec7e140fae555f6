"""Users, roles granted over unit subtrees and API tokens."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeward.core.querysets import ScopedQuerySet, permission_name
from safeward.core.scoping import UNRESTRICTED, path_q, scope_prefixes

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer


class UserQuerySet(ScopedQuerySet["User"]):
    def restrict(
        self, user: Viewer, action: str = "view", *, of: type[models.Model] | None = None
    ) -> UserQuerySet:
        """Users holding an active assignment inside the viewer's subtrees (and the viewer)."""
        prefixes = scope_prefixes(user, permission_name(of or self.model, action))
        if prefixes is UNRESTRICTED:
            return self.all()
        own = (
            Q(pk=user.pk)
            if user is not None and getattr(user, "is_authenticated", False) and action == "view"
            else Q(pk__in=[])
        )
        if not prefixes:
            return self.filter(own)
        inside = RoleAssignment.objects.filter(path_q("unit__path", prefixes)).values("user_id")
        return self.filter(own | Q(pk__in=inside))


class SafeWardUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who signs in. Staff roles need two-factor sign-in (TOTP)."""

    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=8, default="vi")
    totp_secret = models.CharField(max_length=64, blank=True, editable=False)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    totp_last_step = models.BigIntegerField(default=0, editable=False)

    objects = SafeWardUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names (``last_name``), then the given name."""
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def requires_2fa(self) -> bool:
        return self.is_superuser or self.assignments.filter(role__is_staff=True).exists()

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)

    def active_assignments(self) -> models.QuerySet[RoleAssignment]:
        return self.assignments.active().select_related("role", "unit")


class Role(models.Model):
    """A named set of permissions (``app.action_model`` strings)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_staff = models.BooleanField(_("staff role"), default=True)
    builtin = models.BooleanField(default=False, editable=False)
    permissions = models.JSONField(_("permissions"), default=list, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return str(_(self.name))


class RoleAssignmentQuerySet(ScopedQuerySet["RoleAssignment"]):
    def active(self, day: Any = None) -> RoleAssignmentQuerySet:
        day = day or timezone.localdate()
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class RoleAssignment(models.Model):
    """Grants ``role`` to ``user`` over the subtree of ``unit`` (and its predecessors)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="assignments")
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager.from_queryset(RoleAssignmentQuerySet)()

    class Meta:
        ordering = ["user_id", "role_id"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.unit}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """An API key acting as its user, with the user's scope. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
