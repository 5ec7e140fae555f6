"""Private copies of objects kept in per-process caches, made without pickling.

``copy.copy`` goes through ``__reduce_ex__``: for a model instance that means
``Model.__reduce__``, an app-registry look-up and ``__setstate__``; for a DRF field,
``copyreg`` and the field's own ``__new__``. On a request path that copies a cached
token, user, unit and a dozen serializer fields, that is a noticeable share of the
request. The copies here give the same result for plain objects and model
instances: a new object with the same attribute dictionary, and for a model, its
own ``_state`` with its own cache of related objects.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model

T = TypeVar("T")
M = TypeVar("M", bound=Model)


def plain_copy(obj: T) -> T:
    """A shallow copy of an object whose state is its ``__dict__``."""
    twin = object.__new__(type(obj))
    twin.__dict__.update(obj.__dict__)
    return twin


def model_copy(instance: M) -> M:
    """A shallow copy of a model instance, as ``copy.copy`` makes it, that shares no state object."""
    twin = plain_copy(instance)
    state = plain_copy(instance._state)
    if "fields_cache" in instance._state.__dict__:
        state.fields_cache = dict(instance._state.fields_cache)
    twin._state = state
    return twin
