"""bot/sdk_patches/activity_codec.py gives exactly what msrest gives: same JSON out, equal models in, same errors."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar

import pytest
from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount, ResourceResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msrest.serialization import Deserializer, Model, Serializer

from bot.sdk_patches.activity_codec import (
    FastDeserializer,
    FastSerializer,
    NotExact,
    activity_from_json,
    fields_of,
    model_from_json,
    model_to_json,
    plain_json_copy,
)
from dialogs.welcome import welcome_card

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _connector_models() -> dict[str, type]:
    from botframework.connector import models

    return {k: v for k, v in models.__dict__.items() if isinstance(v, type)}


MODELS = _connector_models()
SCHEMA_MODELS = Activity._infer_class_models()


def _outcome(run: Any) -> Any:
    """What run() returns, or the name of the error it raises."""
    try:
        return run()
    except Exception as error:
        return f"raised {type(error).__name__}"


# --- strategies ----------------------------------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)
valid_iso_texts = st.sampled_from(
    [
        "2026-11-22T10:00:00Z",
        "2026-11-22T10:00:00.1234567Z",  # Teams sends 7 fractional digits
        "2026-11-22T10:00:00.123+01:00",
        "2026-11-22T10:00:00.5-08:00",
        "2026-11-22T10:00:00",
    ]
)
bad_iso_texts = st.sampled_from(["2026-11-22", "not a date", "", "10000-01-01T00:00:00Z", "2026-13-40T25:61:00Z"])
datetimes = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)) | st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30))]),
)


def _model_class(kind: str, models: dict[str, type]) -> type | None:
    cls = models.get(kind)
    return cls if isinstance(cls, type) and issubclass(cls, Model) else None


def python_value(kind: str, depth: int) -> st.SearchStrategy[Any]:
    """A value of the right type for a field of this msrest type, as a bot builds replies."""
    if kind == "str":
        return st.text(max_size=6) | st.sampled_from(list(ActivityTypes))
    if kind in ("bool", "int", "float"):
        return {"bool": st.booleans(), "int": st.integers(), "float": st.floats(allow_nan=False)}[kind]
    if kind == "object":
        return json_values
    if kind == "iso-8601":
        return datetimes
    if kind.startswith("[") and kind.endswith("]"):
        return st.lists(st.none() | python_value(kind[1:-1], depth - 1), max_size=2) if depth > 0 else st.just([])
    if kind.startswith("{") and kind.endswith("}"):
        if depth <= 0:
            return st.just({})
        return st.dictionaries(st.text(max_size=3), st.none() | python_value(kind[1:-1], depth - 1), max_size=2)
    cls = _model_class(kind, MODELS)
    return python_model(cls, depth - 1) if cls is not None and depth > 0 else st.none()


def python_model(cls: type, depth: int) -> st.SearchStrategy[Any]:
    optional = {attr: python_value(desc["type"], depth) for attr, desc in cls._attribute_map.items()}
    return st.fixed_dictionaries({}, optional=optional).map(lambda kwargs: cls(**kwargs))


def wrong_python_value(kind: str) -> st.SearchStrategy[Any]:
    """A value of another type than the field's, which msrest converts, rebuilds or rejects."""
    if kind == "str":
        return st.integers() | st.booleans() | st.builds(ChannelAccount)
    if kind == "bool":
        return st.integers(0, 2) | st.text(max_size=2)
    if kind == "int":
        return st.booleans() | st.floats(allow_nan=False) | st.text(max_size=2)
    if kind == "float":
        return st.integers() | st.booleans()
    if kind == "object":
        return (
            st.tuples(st.integers())
            | st.dictionaries(st.integers(), st.text(max_size=2), min_size=1, max_size=2)
            | st.builds(ChannelAccount, id=st.text(max_size=3))
            | st.lists(st.sampled_from(list(ActivityTypes)), min_size=1, max_size=2)
        )
    if kind == "iso-8601":
        return valid_iso_texts | bad_iso_texts | st.integers()
    if kind.startswith("[") or kind.startswith("{"):
        return st.text(max_size=2) | st.tuples(st.none()) | st.dictionaries(st.integers(), st.none(), max_size=1)
    return st.fixed_dictionaries({}, optional={"id": st.text(max_size=3), "Name": st.text(max_size=3)}) | st.text(
        max_size=2
    )


def json_value(kind: str, depth: int) -> st.SearchStrategy[Any]:
    """JSON of the right type for a field of this msrest type, as a channel sends it."""
    if kind == "str":
        return st.text(max_size=6)
    if kind in ("bool", "int", "float"):
        return {"bool": st.booleans(), "int": st.integers(), "float": st.floats(allow_nan=False)}[kind]
    if kind == "object":
        return json_values
    if kind == "iso-8601":
        return valid_iso_texts
    if kind.startswith("[") and kind.endswith("]"):
        return st.lists(st.none() | json_value(kind[1:-1], depth - 1), max_size=2) if depth > 0 else st.just([])
    if kind.startswith("{") and kind.endswith("}"):
        if depth <= 0:
            return st.just({})
        return st.dictionaries(st.text(max_size=3), st.none() | json_value(kind[1:-1], depth - 1), max_size=2)
    cls = _model_class(kind, SCHEMA_MODELS)
    return json_object(cls, depth - 1) if cls is not None and depth > 0 else st.none()


def json_object(cls: type, depth: int) -> st.SearchStrategy[dict[str, Any]]:
    optional: dict[str, Any] = {desc["key"]: json_value(desc["type"], depth) for desc in cls._attribute_map.values()}
    optional["unknownKey"] = json_values  # a field msrest does not know: kept in additional_properties
    optional["ID"] = st.text(max_size=2)  # keys are case-sensitive
    return st.fixed_dictionaries({}, optional=optional)


def wrong_json_value(kind: str) -> st.SearchStrategy[Any]:
    """JSON of another type than the field's, which msrest converts or rejects."""
    if kind == "str":
        return st.integers() | st.booleans() | st.floats(allow_nan=False) | st.lists(st.text(max_size=2), max_size=1)
    if kind == "bool":
        return st.sampled_from([0, 1, 2, "true", "False", "1", "yes", 1.0])
    if kind == "int":
        return st.booleans() | st.text(max_size=2) | st.floats(allow_nan=False)
    if kind == "float":
        return st.integers() | st.text(max_size=3) | st.booleans()
    if kind == "iso-8601":
        return bad_iso_texts | st.integers() | st.lists(st.none(), max_size=1)
    if kind.startswith("[") or kind.startswith("{"):
        return (
            st.text(max_size=2)
            | st.integers()
            | st.lists(st.none(), max_size=1)
            | st.dictionaries(st.text(max_size=1), st.none(), max_size=1)
        )
    return st.text(max_size=2) | st.integers() | st.lists(st.integers(), max_size=1)


def _python_slots(model: Model) -> list[tuple[Model, str, str]]:
    """Every (model, attribute, msrest type) in a model tree: the places a wrong value can go."""
    slots = []
    for attr, desc in model._attribute_map.items():
        slots.append((model, attr, desc["type"]))
        value = getattr(model, attr)
        for item in value if isinstance(value, list) else value.values() if isinstance(value, dict) else [value]:
            if isinstance(item, Model):
                slots += _python_slots(item)
    return slots


def _json_slots(data: dict[str, Any], cls: type) -> list[tuple[dict[str, Any], str, str]]:
    """Every (JSON object, key, msrest type) in a JSON tree read as cls."""
    slots = []
    for desc in cls._attribute_map.values():
        key, kind = desc["key"], desc["type"]
        slots.append((data, key, kind))
        inner = _model_class(kind.strip("[]{}"), SCHEMA_MODELS)
        value = data.get(key)
        if inner is None or value is None:
            continue
        for item in value if isinstance(value, list) else value.values() if kind[0] == "{" else [value]:
            if isinstance(item, dict):
                slots += _json_slots(item, inner)
    return slots


@st.composite
def python_model_with_a_wrong_value(draw: st.DrawFn, cls: type, depth: int) -> Any:
    model = draw(python_model(cls, depth))
    target, attr, kind = draw(st.sampled_from(_python_slots(model)))
    setattr(target, attr, draw(wrong_python_value(kind)))
    return model


@st.composite
def json_object_with_a_wrong_value(draw: st.DrawFn, cls: type, depth: int) -> dict[str, Any]:
    data = draw(json_object(cls, depth))
    target, key, kind = draw(st.sampled_from(_json_slots(data, cls)))
    if kind != "object":  # any JSON is right for an "object" field
        target[key] = draw(wrong_json_value(kind))
    return data


# --- model -> JSON ---------------------------------------------------------------------------------------


def _msrest_body(activity: Any) -> Any:
    # Serializer.body may change the model it is given (it rebuilds dicts into models): a copy each.
    return _outcome(lambda: json.dumps(Serializer(MODELS).body(copy.deepcopy(activity), "Activity")))


def _fast_body(activity: Any) -> Any:
    return _outcome(lambda: json.dumps(FastSerializer(MODELS).body(copy.deepcopy(activity), "Activity")))


@SETTINGS
@given(python_model(Activity, 3))
def test_a_well_typed_reply_takes_the_fast_path_and_is_written_as_msrest_writes_it(activity: Activity) -> None:
    assert json.dumps(model_to_json(copy.deepcopy(activity))) == _msrest_body(activity)


@SETTINGS
@given(python_model_with_a_wrong_value(Activity, 3))
def test_a_reply_with_a_wrong_value_is_written_as_msrest_writes_it(activity: Activity) -> None:
    assert _fast_body(activity) == _msrest_body(activity)


def _bot_replies() -> list[Activity]:
    card = MessageFactory.attachment(CardFactory.adaptive_card(welcome_card()))
    card.summary = "Welcome"
    invoke = Activity(
        type=ActivityTypes.invoke_response,
        value={"status": 200, "body": {"statusCode": 200, "value": [1, 2.5, True, None, {"a": ["b"]}]}},
    )
    typing = Activity(type=ActivityTypes.typing, timestamp=datetime(2026, 11, 22, 10, 0, 0, 123400, tzinfo=UTC))
    text = MessageFactory.text("plain", input_hint="acceptingInput")
    replies = [card, invoke, typing, text]
    for reply in replies:
        reply.conversation = ConversationAccount(id="a:1", conversation_type="personal", tenant_id="t")
        reply.from_property = ChannelAccount(id="28:bot", name="StageCoach")
        reply.recipient = ChannelAccount(id="29:user", name="Seller", aad_object_id="aad")
        reply.service_url, reply.channel_id, reply.reply_to_id = "https://smba.example/", "msteams", "1"
    return replies


@pytest.mark.parametrize("index", range(4))
def test_what_stagecoach_sends_takes_the_fast_path(index: int) -> None:
    reply = _bot_replies()[index]
    assert json.dumps(model_to_json(reply)) == _msrest_body(reply)  # model_to_json raised no NotExact


def test_the_fast_path_declines_what_it_cannot_reproduce() -> None:
    with pytest.raises(NotExact):
        model_to_json(Activity(type="message", text=5))  # msrest would write "5"
    with pytest.raises(NotExact):
        model_to_json(Activity(type="message", from_property={"id": "u"}))  # msrest builds a model first
    with pytest.raises(NotExact):
        model_to_json(Activity(type="message", value=(1, 2)))  # a tuple is not plain JSON


# --- JSON -> model ---------------------------------------------------------------------------------------


def _msrest_read(data: Any) -> Any:
    return _outcome(lambda: Activity.deserialize(copy.deepcopy(data)))


def _fast_read(data: Any) -> Any:
    return _outcome(lambda: activity_from_json(copy.deepcopy(data)))


@SETTINGS
@given(json_object(Activity, 3))
def test_a_well_typed_activity_takes_the_fast_path_and_is_read_as_msrest_reads_it(data: dict[str, Any]) -> None:
    # msrest models compare field by field, additional_properties included
    assert model_from_json(Activity, copy.deepcopy(data), SCHEMA_MODELS) == _msrest_read(data)


@SETTINGS
@given(json_object_with_a_wrong_value(Activity, 3))
def test_an_activity_with_a_wrong_value_is_read_as_msrest_reads_it(data: dict[str, Any]) -> None:
    assert _fast_read(data) == _msrest_read(data)


def _teams_message() -> dict[str, Any]:
    return {
        "type": "message",
        "id": "1700000000000",
        "timestamp": "2026-11-22T10:00:00.1234567Z",
        "localTimestamp": "2026-11-22T11:00:00.123+01:00",
        "localTimezone": "Europe/Berlin",
        "serviceUrl": "https://smba.trafficmanager.net/emea/",
        "channelId": "msteams",
        "from": {"id": "29:1abc", "name": "Seller", "aadObjectId": "aad-1"},
        "conversation": {"conversationType": "personal", "tenantId": "t-1", "id": "a:1xyz"},
        "recipient": {"id": "28:bot", "name": "StageCoach"},
        "textFormat": "plain",
        "locale": "en-GB",
        "text": "who owns realise value?",
        "attachments": [{"contentType": "text/html", "content": "<div>who owns realise value?</div>"}],
        "entities": [{"type": "clientInfo", "locale": "en-GB", "country": "GB", "platform": "Web"}],
        "channelData": {"tenant": {"id": "t-1"}},
        "rawTimestamp": "2026-11-22T10:00:00.1234567Z",
    }


def test_a_teams_message_takes_the_fast_path() -> None:
    data = _teams_message()
    fast = model_from_json(Activity, copy.deepcopy(data), SCHEMA_MODELS)  # raised no NotExact
    assert fast == Activity.deserialize(copy.deepcopy(data))
    assert fast.additional_properties == {"rawTimestamp": data["rawTimestamp"]}
    assert fast.timestamp == datetime(2026, 11, 22, 10, 0, 0, 123456, tzinfo=UTC)


def test_bad_inbound_data_raises_what_msrest_raises() -> None:
    bad = {**_teams_message(), "timestamp": "yesterday"}
    assert _fast_read(bad) == _msrest_read(bad) == "raised DeserializationError"


# --- response models (ResourceResponse, ErrorResponse) -----------------------------------------------------


class _Response:
    """A pipeline response as RawDeserializer leaves it: the body already parsed, in the context."""

    def __init__(self, data: Any) -> None:
        self.context = {"deserialized_data": data}


@SETTINGS
@given(
    json_object_with_a_wrong_value(SCHEMA_MODELS["ResourceResponse"], 2)
    | json_object_with_a_wrong_value(MODELS["ErrorResponse"], 3)
    | json_object(MODELS["ErrorResponse"], 3)
    | json_values
)
def test_a_response_is_read_as_msrest_reads_it(data: Any) -> None:
    for target in ("ResourceResponse", "ErrorResponse"):
        fast = _outcome(lambda t=target: FastDeserializer(MODELS)(t, _Response(copy.deepcopy(data))))
        stock = _outcome(lambda t=target: Deserializer(MODELS)(t, _Response(copy.deepcopy(data))))
        assert fast == stock


def test_a_resource_response_takes_the_fast_path() -> None:
    assert model_from_json(ResourceResponse, {"id": "1|2"}, MODELS) == ResourceResponse(id="1|2")


def test_model_classes_msrest_treats_specially_are_declined() -> None:
    class Validated(Model):
        _validation: ClassVar = {"name": {"required": True}}
        _attribute_map: ClassVar = {"name": {"key": "name", "type": "str"}}

    class Flattened(Model):
        _attribute_map: ClassVar = {"name": {"key": "properties.name", "type": "str"}}

    for cls in (Validated, Flattened):
        with pytest.raises(NotExact):
            fields_of(cls)


def test_plain_json_copy_is_a_copy() -> None:
    data = {"a": [{"b": 1}], "c": "d"}
    copied = plain_json_copy(data)
    assert copied == data and copied is not data and copied["a"][0] is not data["a"][0]
    with pytest.raises(NotExact):
        plain_json_copy({1: "one"})


@SETTINGS
@given(st.text() | st.none() | st.integers() | st.booleans(), st.sampled_from(["str", "int", "bool"]))
def test_a_url_part_is_written_as_msrest_writes_it(value: Any, data_type: str) -> None:
    fast = _outcome(lambda: FastSerializer(MODELS).url("conversation_id", value, data_type))
    assert fast == _outcome(lambda: Serializer(MODELS).url("conversation_id", value, data_type))


def test_a_serializer_with_other_json_keys_is_left_to_msrest() -> None:
    from msrest.serialization import attribute_transformer

    activity = _bot_replies()[3]
    fast, stock = FastSerializer(MODELS), Serializer(MODELS)
    fast.key_transformer = stock.key_transformer = attribute_transformer  # Python names as keys
    assert fast.body(copy.deepcopy(activity), "Activity") == stock.body(copy.deepcopy(activity), "Activity")
    assert "service_url" in fast.body(copy.deepcopy(activity), "Activity")
