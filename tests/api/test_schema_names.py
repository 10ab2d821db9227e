"""Every schema behind /api/v1 has a name of its own.

django-ninja files the schemas of all operations in the OpenAPI document's components under
their class names, and a second class of the same name silently replaces the first there: the
document then describes one operation's body or answer with another's fields (it happened with
``EnrollmentOut`` and ``FeeLineIn``). So the test walks the routers' operations, the models of
their parameters, bodies and answers and every model and enumeration inside them, and fails
naming each name that two classes share. An app prefixes its schemas (``ReimbursementOut``)."""

from __future__ import annotations

import enum
import typing
from collections import defaultdict
from collections.abc import Iterator

from ninja import NinjaAPI, Router, Schema
from pydantic import BaseModel, create_model


def _inner(annotation: object) -> Iterator[type]:
    """The models and enumerations an annotation names, however nested (lists, unions …)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | enum.Enum):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _inner(argument)


def named_classes(api: NinjaAPI) -> dict[str, set[type]]:
    """Each name in the document's components → the classes that would be filed under it."""
    found: dict[str, set[type]] = defaultdict(set)
    seen: set[type] = set()

    def walk(cls: type) -> None:
        if cls in seen:
            return
        seen.add(cls)
        found[cls.__name__].add(cls)
        if issubclass(cls, BaseModel):
            for field in cls.model_fields.values():
                for inner in _inner(field.annotation):
                    walk(inner)

    for router in api._get_bound_routers():  # what the document's paths are made of
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                # ninja's own wrappers (the parameters of a source, an answer's "response"
                # field) never reach the components: only what they hold does.
                wrappers = [*operation.models, *operation.response_models.values()]
                for wrapper in wrappers:
                    if isinstance(wrapper, type) and issubclass(wrapper, BaseModel):
                        for field in wrapper.model_fields.values():
                            for inner in _inner(field.annotation):
                                walk(inner)
    return found


def shared_names(api: NinjaAPI) -> dict[str, list[str]]:
    """Each name that two classes or more share → where those classes are defined."""
    return {
        name: sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in classes)
        for name, classes in sorted(named_classes(api).items())
        if len(classes) > 1
    }


def test_no_two_schemas_behind_the_api_share_a_name() -> None:
    from jingban.api import api

    found = named_classes(api)
    # The walk reaches every schema the document files (a walk that found nothing would pass
    # whatever the names were).
    components = api.get_openapi_schema()["components"]["schemas"]
    assert set(components) <= set(found), sorted(set(components) - set(found))
    assert {"ErrorOut", "EnrollmentRecordOut", "FilingOut"} <= set(found)
    assert shared_names(api) == {}


class ItemOut(Schema):
    code: str


class Kind(enum.StrEnum):
    A = "a"


def test_two_routers_with_an_item_schema_each_are_named_as_a_collision() -> None:
    # Another app's ItemOut: the same name, other fields (the document would keep one of them).
    other_item = create_model(
        "ItemOut", __base__=Schema, __module__="jingban.other.api", amount=(int, ...)
    )
    basket = create_model(
        "BasketOut", __base__=Schema, items=(list[other_item] | None, None), kind=(Kind, "a")
    )
    first, second = Router(), Router()
    first.add_api_operation("/a", ["GET"], lambda request: ItemOut(code="a"), response=ItemOut)
    second.add_api_operation("/b", ["GET"], lambda request: basket(), response={200: basket})
    api = NinjaAPI(urls_namespace="schema-names-test")
    api.add_router("/first", first)
    api.add_router("/second", second)

    assert {"BasketOut", "Kind", "ItemOut"} <= set(named_classes(api))
    assert shared_names(api) == {
        "ItemOut": [
            "jingban.other.api.ItemOut",
            "tests.api.test_schema_names.ItemOut",
        ]
    }
