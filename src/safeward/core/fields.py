"""Form fields that take a related object: only ones the user may see, others read as unknown.

The form counterpart of :class:`safeward.core.api.ScopedRelatedField`. The candidates
come from ``model.objects.restrict(user, action)``, bound when the form is built for a
user (:func:`scope_form`), so an id outside the user's scope gets the same "not one of
the available choices" error as an id that does not exist. Until bound, nothing is valid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from safeward.core.scoping import Viewer


class _Scoped:
    scoped_model: type[Model]
    scope_action: str
    queryset: Any

    def scope_to(self, user: Viewer, queryset: QuerySet[Any] | None = None) -> None:
        """Offer what ``user`` may see; ``queryset`` narrows further (it is restricted too)."""
        visible = self.scoped_model.objects.restrict(user, self.scope_action)  # type: ignore[attr-defined]
        self.queryset = (
            visible if queryset is None else queryset.filter(pk__in=visible.values("pk"))
        )


class ScopedModelChoiceField(_Scoped, forms.ModelChoiceField[Model]):
    """One related object the form's user may see (``action`` picks the permission)."""

    def __init__(self, model: type[Model], *, action: str = "view", **kwargs: Any) -> None:
        self.scoped_model = model
        self.scope_action = action
        kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(**kwargs)


class ScopedModelMultipleChoiceField(_Scoped, forms.ModelMultipleChoiceField[Model]):
    """Several related objects the form's user may see."""

    def __init__(self, model: type[Model], *, action: str = "view", **kwargs: Any) -> None:
        self.scoped_model = model
        self.scope_action = action
        kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(**kwargs)


def scope_form(form: forms.BaseForm, user: Viewer) -> None:
    """Bind every scoped field of ``form`` to all that ``user`` may see."""
    for field in form.fields.values():
        if isinstance(field, _Scoped):
            field.scope_to(user)


class ScopedFormMixin:
    """A form built for a user (``user=`` keyword): its scoped fields offer only what they see."""

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_user = user
        scope_form(self, user)  # type: ignore[arg-type]


class DeliberateChoiceField(forms.ChoiceField):
    """A consequential choice with no default: the list opens on an empty "— choose —",
    and the form is refused (with ``required_message``) until one is picked, so a careless
    click never records the first option (a fine, say)."""

    def __init__(
        self,
        *,
        choices: Any,
        required_message: Any = None,
        empty_label: Any = None,
        **kwargs: Any,
    ) -> None:
        from django.utils.translation import gettext_lazy

        super().__init__(
            choices=[("", empty_label or gettext_lazy("— choose —")), *choices], **kwargs
        )
        if required_message is not None:
            self.error_messages["required"] = required_message
