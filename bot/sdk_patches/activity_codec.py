"""Bot Framework models to JSON and back, exactly as msrest does it, without msrest's per-field machinery.

On every turn msrest deserialises the inbound Activity and serialises each reply: for each field it
dispatches on a type string, copies the field's description, runs key extractors and walks card JSON
node by node, and `Serializer.body` first deserialises the whole model again and validates it. That
was about a quarter of StageCoach's CPU per turn (bench/notes.md).

Here each model class's fields are read once from its `_attribute_map` into a plan, and a value is
converted only in the cases where the result is certain to be msrest's: a `str` field holding a str
(or an Enum, written as its value), a bool/int/float field holding exactly that type, a datetime
field (msrest's own functions format and parse it), a list or dict of those, a model holding a model
(serialising) or a JSON object (deserialising), and "object" fields, which hold plain JSON data as it
is. Anything else - an int in a str field, a dict where a model belongs, a model class with
validation rules, flattened keys or subtypes - raises NotExact, and the callers then hand the whole
object to msrest. tests/test_activity_codec.py checks the results against msrest's on generated input.

The JSON written shares plain-JSON parts ("object" fields) with the model: it is meant to be dumped
at once, not kept. Likewise a model read from JSON holds the JSON's "object" parts themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any
from urllib.parse import quote

from botbuilder.schema import Activity
from msrest.serialization import Deserializer, Model, Serializer, full_restapi_key_transformer


class NotExact(Exception):
    """This value is outside what the fast path reproduces exactly: msrest must handle it."""


@dataclass(frozen=True, slots=True)
class Field:
    attr: str  # the Python attribute
    key: str  # the JSON key
    type: str  # msrest's type string: "str", "iso-8601", "[Attachment]", "ChannelAccount", ...


@cache
def fields_of(cls: type) -> tuple[Field, ...]:
    """The fields of a model class, or NotExact if msrest treats the class in a way not reproduced here."""
    if not (isinstance(cls, type) and issubclass(cls, Model)):
        raise NotExact(f"{cls!r} is not an msrest model")
    if cls.__dict__.get("_subtype_map") or getattr(cls, "_validation", None) or cls.is_xml_model():
        raise NotExact(f"{cls.__name__} has subtypes, validation rules or XML")
    result = []
    for attr, desc in cls._attribute_map.items():
        key, kind = desc["key"], desc["type"]
        if not key or "." in key or not isinstance(kind, str):
            raise NotExact(f"{cls.__name__}.{attr} is flattened, additional properties or a class type")
        result.append(Field(attr, key, kind))
    return tuple(result)


@cache
def _keys_of(cls: type) -> frozenset[str]:
    return frozenset(f.key for f in fields_of(cls))


def plain_json_copy(value: Any) -> Any:
    """A copy of value if it is plain JSON data (dicts with str keys, lists, str, int, float, bool, None);
    NotExact at anything else: a model, an enum, a datetime, a tuple, a dict subclass."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is dict:
        copy = {}
        for key, item in value.items():
            if type(key) is not str:
                raise NotExact(f"{type(key).__name__} key")
            copy[key] = plain_json_copy(item)
        return copy
    if kind is list:
        return [plain_json_copy(item) for item in value]
    raise NotExact(kind.__name__)


def _is_plain_json(value: Any) -> bool:
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return True
    if kind is dict:
        return all(type(key) is str and _is_plain_json(item) for key, item in value.items())
    if kind is list:
        return all(_is_plain_json(item) for item in value)
    return False


# --- model -> JSON (what Serializer.body(model, type) returns) -----------------------------------------


def model_to_json(model: Model) -> dict[str, Any]:
    """msrest's `Serializer.body(model, <its type>)` for a model built in code; NotExact otherwise."""
    out: dict[str, Any] = {}
    cls: type = type(model)  # a class is hashable; mypy reads Model's instance __hash__ as the class's
    for field in fields_of(cls):
        value = getattr(model, field.attr)
        if value is not None:
            out[field.key] = _value_to_json(value, field.type)
    return out


def _value_to_json(value: Any, kind: str) -> Any:
    t = type(value)
    if kind == "str":
        if t is str:
            return value
        if isinstance(value, Enum):
            return value.value
    elif kind == "object":
        if _is_plain_json(value):
            return value
    elif kind == "bool" or kind == "int" or kind == "float":
        if t.__name__ == kind:  # exactly that type: msrest would convert anything else (bool(), int(), float())
            return value
    elif kind == "iso-8601":
        if isinstance(value, datetime):
            return Serializer.serialize_iso(value)
    elif kind[0] == "[" and kind[-1] == "]":
        if t is list:
            inner = kind[1:-1]
            return [None if item is None else _value_to_json(item, inner) for item in value]
    elif kind[0] == "{" and kind[-1] == "}":
        if t is dict and all(type(key) is str for key in value):
            inner = kind[1:-1]
            return {key: None if item is None else _value_to_json(item, inner) for key, item in value.items()}
    elif isinstance(value, Model):
        return model_to_json(value)
    raise NotExact(f"{t.__name__} as {kind}")


# --- JSON -> model (what Model.deserialize(data) returns) ------------------------------------------------


def model_from_json(cls: type, data: Any, dependencies: dict[str, type]) -> Any:
    """msrest's `Deserializer(dependencies)._deserialize(cls, data)` for JSON data; NotExact otherwise."""
    if type(data) is not dict:
        raise NotExact(f"{type(data).__name__} as {cls.__name__}")
    kwargs = {}
    for field in fields_of(cls):
        value = data.get(field.key)
        kwargs[field.attr] = None if value is None else _value_from_json(value, field.type, dependencies)
    model = cls(**kwargs)
    unknown = data.keys() - _keys_of(cls)
    if unknown:  # msrest keeps keys it does not know here
        model.additional_properties = {key: data[key] for key in unknown}
    return model


def _value_from_json(value: Any, kind: str, dependencies: dict[str, type]) -> Any:
    t = type(value)
    if kind == "str":
        if t is str:
            return value
    elif kind == "object":
        return value  # json.loads gives plain JSON, which msrest copies as it is
    elif kind == "bool" or kind == "int" or kind == "float":
        if t.__name__ == kind:
            return value
    elif kind == "iso-8601":
        if t is str:
            return Deserializer.deserialize_iso(value)
    elif kind[0] == "[" and kind[-1] == "]":
        if t is list:
            inner = kind[1:-1]
            return [None if item is None else _value_from_json(item, inner, dependencies) for item in value]
    elif kind[0] == "{" and kind[-1] == "}":
        if t is dict:
            inner = kind[1:-1]
            return {
                key: None if item is None else _value_from_json(item, inner, dependencies)
                for key, item in value.items()
            }
    else:
        cls = dependencies.get(kind)
        if cls is not None and not issubclass(cls, Enum):
            return model_from_json(cls, value, dependencies)
    raise NotExact(f"{t.__name__} as {kind}")


@cache
def _activity_models() -> dict[str, type]:
    # What Activity.deserialize resolves type names against: the classes of botbuilder.schema.
    return Activity._infer_class_models()


def activity_from_json(data: Any) -> Activity:
    """`Activity().deserialize(data)`, the same result; raises what msrest raises for bad data."""
    try:
        return model_from_json(Activity, data, _activity_models())
    except Exception:  # NotExact, or a bad value msrest reports its own way
        return Activity.deserialize(data)


# --- the connector client's serializer and deserializer --------------------------------------------------


class FastSerializer(Serializer):
    """msrest's Serializer, with request bodies that are models written by `model_to_json`, and
    "object" fields holding plain JSON copied as they are when msrest does serialise."""

    def body(self, data: Any, data_type: str, **kwargs: Any) -> Any:
        if (
            isinstance(data, Model)
            and not kwargs
            and type(data) is self.dependencies.get(data_type)
            and self.key_transformer is full_restapi_key_transformer  # JSON keys as the attribute map says
        ):
            try:
                return model_to_json(data)
            except Exception:  # NotExact or a value msrest rejects in its own way: msrest decides
                pass
        return super().body(data, data_type, **kwargs)

    def url(self, name: str, data: Any, data_type: str, **kwargs: Any) -> str:
        # A path parameter (conversation id, activity id): for a str, msrest checks it is not None,
        # converts it to str and quotes it with nothing kept safe - this, with less dispatch on the way.
        if data_type == "str" and type(data) is str and not kwargs:
            return quote(data, safe="")
        return super().url(name, data, data_type, **kwargs)

    def serialize_object(self, attr: Any, **kwargs: Any) -> Any:
        # Reached when msrest serialises (the fallback): walking plain JSON node by node, with a type
        # dispatch per number, is most of its cost, and an equal copy is what it returns.
        try:
            return plain_json_copy(attr)
        except NotExact:
            return super().serialize_object(attr, **kwargs)


_DEFAULT_EXTRACTORS = Deserializer().key_extractors  # JSON keys looked up exactly, as model_from_json does


class FastDeserializer(Deserializer):
    """msrest's Deserializer, reading response models (ResourceResponse, ErrorResponse) with `model_from_json`."""

    def __call__(self, target_obj: Any, response_data: Any, content_type: str | None = None) -> Any:
        data = self._unpack_content(response_data, content_type)
        cls = self.dependencies.get(target_obj) if isinstance(target_obj, str) else None
        if cls is not None and self.additional_properties_detection and self.key_extractors == _DEFAULT_EXTRACTORS:
            try:
                return model_from_json(cls, data, self.dependencies)
            except Exception:
                pass
        return self._deserialize(target_obj, data)
