"""Households and persons: the least personal data the other modules need."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safeward.core.querysets import ScopedManager, pending_import_field, pending_visible


class PeopleManager(ScopedManager):
    """Hides the rows of an import still being written (see ``core.importing``)."""

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(pending_visible())


class Household(models.Model):
    """A household in a neighbourhood (camera custodian, group coverage, family pledges)."""

    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="households")
    label = models.CharField(
        _("household"), max_length=120, help_text=_("e.g. head of household's name")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    members = models.PositiveSmallIntegerField(_("members"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set while an import is still writing its rows: hidden from every reader until then.
    pending_import = pending_import_field()

    objects = PeopleManager()

    class Meta:
        ordering = ["unit_id", "label"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("people:household", args=[self.pk])


class Person(models.Model):
    """A person known to the movement (group member, trainee, mentor); no ID numbers are kept."""

    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="persons")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="persons"
    )
    user = models.OneToOneField(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set while an import is still writing its rows: hidden from every reader until then.
    pending_import = pending_import_field()

    objects = PeopleManager()

    class Meta:
        ordering = ["unit_id", "full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        permissions = [
            ("view_person_identity", _("Can see the names of persons and households")),
            (
                "view_person_contact",
                _("Can see the years of birth, phones, e-mails and addresses of persons"),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        if self.household_id:
            return reverse("people:household", args=[self.household_id])
        return reverse("people:households")


class ContactKind(models.TextChoices):
    SMS = "sms", _("Phone (SMS)")
    EMAIL = "email", _("Email")
    ZALO = "zalo", _("Zalo")
    APP = "app", _("App inbox")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Signed form")
    IN_APP = "in_app", _("Given in the app")
    VERBAL = "verbal", _("Told an officer (recorded by them)")


class ContactPoint(models.Model):
    """Where a person agreed to receive bulletins, and when and how they agreed.

    Only the address the channel needs is kept (an app inbox needs none: the person's
    account is the address). A withdrawn consent is kept as the record that nothing more
    may be sent there; the address itself is blanked when it is withdrawn.
    """

    scope_path_field = "person__unit__path"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(_("channel"), max_length=8, choices=ContactKind.choices)
    value = models.CharField(_("address"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=8, default="vi")
    consent_on = models.DateField(_("consent given on"))
    consent_method = models.CharField(
        _("consent given by"), max_length=10, choices=ConsentMethod.choices
    )
    withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["person_id", "kind"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="contactpoint_one_live_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.get_kind_display()}"

    @property
    def audit_unit(self) -> Any:
        return self.person.unit
