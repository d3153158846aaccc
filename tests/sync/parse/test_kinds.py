"""The field schemas of the feed kinds, and that their row keys are the ORM columns."""

from __future__ import annotations

import datetime as dt

import pytest

from sync.parse.fields import FieldError
from sync.parse.kinds import KIND_SCHEMAS, FieldReader, build_readers
from sync.spec import FEED_KINDS, FeedKind
from sync.store.models import CatalogMetric, Comment, Message, MetricValue, Store, Target

MODELS = {
    "catalog": CatalogMetric,
    "metrics": MetricValue,
    "targets": Target,
    "comments": Comment,
    "messages": Message,
    "stores": Store,
}


def test_every_kind_has_a_schema() -> None:
    assert set(KIND_SCHEMAS) == set(FEED_KINDS)


def test_required_and_optional_fields_follow_the_contract() -> None:
    got = {kind: (s.required, s.optional) for kind, s in KIND_SCHEMAS.items()}
    assert got == {
        "catalog": (
            ("metric",),
            ("label", "unit", "perspective", "direction", "aggregate", "decimals", "entry"),
        ),
        "metrics": (("store_id", "date", "metric", "value"), ()),
        "targets": (("store_id", "metric", "period", "start", "target"), ()),
        "comments": (("store_id", "date", "text"), ("rating", "source")),
        "messages": (("store_id", "start", "title"), ("end", "kind", "body")),
        "stores": (("store_id", "name", "region"), ()),
    }


def test_keys_follow_the_contract() -> None:
    assert {kind: s.key for kind, s in KIND_SCHEMAS.items()} == {
        "catalog": ("metric",),
        "metrics": ("store_id", "date", "metric"),
        "targets": ("store_id", "metric", "period", "start"),
        "comments": (),
        "messages": (),
        "stores": ("store_id",),
    }


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_row_keys_are_model_columns(kind: FeedKind) -> None:
    schema = KIND_SCHEMAS[kind]
    columns = set(MODELS[kind].__table__.columns.keys())
    keys = {spec.key for spec in schema.fields} | ({"position"} if schema.numbered else set())
    # Everything but the bookkeeping columns the ingest fills in (feed, id).
    assert keys == columns - {"feed", "id"}


def test_date_is_the_day_column_for_metrics_and_comments() -> None:
    assert [f.key for f in KIND_SCHEMAS["metrics"].fields if f.name == "date"] == ["day"]
    assert [f.key for f in KIND_SCHEMAS["comments"].fields if f.name == "date"] == ["day"]


def _readers(kind: FeedKind) -> dict[str, FieldReader]:
    return {r.spec.name: r for r in build_readers(KIND_SCHEMAS[kind])}


def test_rating_is_from_one_to_five() -> None:
    rating = _readers("comments")["rating"]
    assert rating.text("1") == 1.0
    assert rating.text("4.5") == 4.5
    assert rating.text("") is None
    for bad in ("0", "6", "5.01"):
        with pytest.raises(FieldError) as err:
            rating.text(bad)
        assert err.value.reason.startswith("rating must be from 1 to 5, not ")
    with pytest.raises(FieldError) as err:
        rating.value(0)
    assert err.value.reason == "rating must be from 1 to 5, not 0"


def test_decimals_is_a_whole_number_from_zero_to_six() -> None:
    decimals = _readers("catalog")["decimals"]
    assert decimals.text("2") == 2
    assert isinstance(decimals.text("2"), int)
    assert decimals.text("") == 0
    with pytest.raises(FieldError) as err:
        decimals.text("2.5")
    assert err.value.reason == "decimals must be a whole number from 0 to 6, not 2.5"
    with pytest.raises(FieldError) as err:
        decimals.text("7")
    assert err.value.reason == "decimals must be a whole number from 0 to 6, not 7"


def test_targets_check_the_start_of_the_period() -> None:
    check = KIND_SCHEMAS["targets"].check
    assert check is not None
    check({"period": "day", "start": dt.date(2026, 11, 18)})
    check({"period": "week", "start": dt.date(2026, 11, 23)})
    check({"period": "month", "start": dt.date(2026, 11, 1)})
    with pytest.raises(FieldError) as err:
        check({"period": "week", "start": dt.date(2026, 11, 18)})
    assert (err.value.field, err.value.reason) == (
        "start",
        "2026-11-18 is a Wednesday; a week target must start on a Monday",
    )
    with pytest.raises(FieldError) as err:
        check({"period": "month", "start": dt.date(2026, 11, 2)})
    assert (err.value.field, err.value.reason) == (
        "start",
        "2026-11-02 is not the 1st of a month; a month target must start on the 1st",
    )


def test_messages_end_may_not_come_before_start() -> None:
    check = KIND_SCHEMAS["messages"].check
    assert check is not None
    check({"start": dt.date(2026, 11, 5), "end": None})
    check({"start": dt.date(2026, 11, 5), "end": dt.date(2026, 11, 5)})
    with pytest.raises(FieldError) as err:
        check({"start": dt.date(2026, 11, 5), "end": dt.date(2026, 11, 4)})
    assert (err.value.field, err.value.reason) == (
        "end",
        "end 2026-11-04 is before start 2026-11-05",
    )
