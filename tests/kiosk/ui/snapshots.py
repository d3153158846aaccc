"""Realistic BoardSnapshot fixtures for the screen tests and the render script.

The day is Tue 24 Nov 2026: the second day of its week and the 24th of a 30-day month, so the
pace figures below follow the product's maths (sum: actual / elapsed days x days in period).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from kiosk.board.model import (
    BoardSnapshot,
    Celebration,
    CommentView,
    EntryRow,
    Freshness,
    Leaderboard,
    LeaderRow,
    MessageView,
    MetricEntry,
    Recognition,
    Scoreboard,
    Trend,
    TrendDay,
)

DAY = dt.date(2026, 11, 24)
TZ = ZoneInfo("America/Chicago")
NOW = dt.datetime(2026, 11, 24, 10, 47, tzinfo=TZ)
HTML_TEXT = (
    "<b>x</b><img src=x> Nice store but the <i>music</i> is loud &amp; the aisles are narrow"
)

LONG_COMMENT = (
    "I have been shopping at this store for years and I want to explain in detail what "
    "happened on my last visit, because I think the team should hear it. "
) + " ".join(
    f"Point {n}: the shelves in aisle {n} were half empty and nobody could tell me when the "
    "next delivery would come, which meant a second trip across town."
    for n in range(1, 30)
)
LONG_COMMENT = LONG_COMMENT[:2000]


def entry(
    metric: str,
    label: str,
    perspective: str,
    period: str,
    actual: float | None,
    target: float | None,
    percent: float | None,
    pace: float | None,
    status: str | None,
    *,
    unit: str = "",
    decimals: int = 0,
    direction: str = "up",
    aggregate: str = "sum",
    source: str | None = "hq",
) -> MetricEntry:
    return MetricEntry(
        metric=metric,
        label=label,
        perspective=perspective,
        period=period,  # type: ignore[arg-type]
        actual=actual,
        target=target,
        percent=percent,
        pace=pace,
        status=status,  # type: ignore[arg-type]
        source=source if actual is not None else None,  # type: ignore[arg-type]
        unit=unit,
        decimals=decimals,
        direction=direction,  # type: ignore[arg-type]
        aggregate=aggregate,  # type: ignore[arg-type]
    )


def metrics() -> tuple[MetricEntry, ...]:
    """Six metrics over the four perspectives, in catalog order then day / week / month."""
    sales = {"unit": "$"}
    basket = {"unit": "$", "decimals": 2, "aggregate": "mean"}
    csat = {"unit": "%", "decimals": 1, "aggregate": "mean"}
    shopper = {"unit": "pts", "decimals": 1, "aggregate": "last"}
    shrink = {"unit": "$", "direction": "down"}
    training = {"unit": "h", "decimals": 1, "source": "store"}
    return (
        entry("sales", "Sales", "financial", "day", 12840, 12000, 107.0, None, "met", **sales),
        entry(
            "sales", "Sales", "financial", "week", 18010, 60000, 30.0, 105.1, "on_track", **sales
        ),
        entry(
            "sales", "Sales", "financial", "month", 228400, 300000, 76.1, 95.2, "behind", **sales
        ),
        entry(
            "basket",
            "Average basket",
            "financial",
            "day",
            38.45,
            40,
            96.1,
            None,
            "behind",
            **basket,
        ),
        entry(
            "csat", "Customer satisfaction", "customer", "day", 91.5, 90, 101.7, None, "met", **csat
        ),
        entry(
            "csat",
            "Customer satisfaction",
            "customer",
            "week",
            89.2,
            90,
            99.1,
            99.1,
            "behind",
            **csat,
        ),
        entry(
            "csat",
            "Customer satisfaction",
            "customer",
            "month",
            90.4,
            90,
            100.4,
            100.4,
            "met",
            **csat,
        ),
        entry(
            "shopper",
            "Mystery shopper",
            "customer",
            "month",
            86.5,
            90,
            96.1,
            96.1,
            "behind",
            **shopper,
        ),
        entry("shrink", "Shrink", "process", "day", 120, 150, 125.0, None, "met", **shrink),
        entry(
            "shrink", "Shrink", "process", "month", 2950, 4000, 135.6, 108.5, "on_track", **shrink
        ),
        entry(
            "training", "Training hours", "learning", "day", 6.5, None, None, None, None, **training
        ),
    )


def trend(metric: str, direction: str, goal: float, values: list[float | None]) -> Trend:
    """`values` for the 14 days up to DAY, oldest first, all against one day goal."""
    first = DAY - dt.timedelta(days=len(values) - 1)
    days = tuple(
        TrendDay(first + dt.timedelta(days=n), value, goal) for n, value in enumerate(values)
    )
    return Trend(metric, direction, days)  # type: ignore[arg-type]


def trends() -> tuple[Trend, ...]:
    """The metrics with a day goal: sales (a day without a number), csat and shrink (some
    days over budget)."""
    return (
        trend(
            "sales",
            "up",
            12000,
            [
                11200,
                12400,
                12900,
                10100,
                9800,
                13100,
                12600,
                11900,
                12300,
                14100,
                13300,
                11800,
                None,
                12840,
            ],
        ),
        trend("csat", "up", 90, [88, 91, 92, 89, 90.5, 87, 93, 91, 90, 89.5, 92, 94, 91, 91.5]),
        trend(
            "shrink",
            "down",
            150,
            [130, 90, 170, 120, 110, 200, 140, 100, 95, 160, 130, 120, 115, 120],
        ),
    )


def comments() -> tuple[CommentView, ...]:
    return (
        CommentView(
            DAY,
            "Maria at the register remembered my name and found the size I needed in the back. "
            "Best service in town!",
            5,
            "Google",
        ),
        CommentView(DAY, "Waited 20 minutes at checkout with only one lane open.", 1, "Survey"),
        CommentView(DAY - dt.timedelta(days=1), HTML_TEXT, 3, "Email"),
        CommentView(DAY - dt.timedelta(days=1), LONG_COMMENT, 2, "Survey"),
        CommentView(
            DAY - dt.timedelta(days=2),
            "Clean, bright and well stocked. The new layout is much easier.",
            4,
            "Yelp",
        ),
        CommentView(
            DAY - dt.timedelta(days=3),
            "Staff helped me carry everything to the car in the rain.",
            5,
            None,
        ),
        CommentView(
            DAY - dt.timedelta(days=5),
            "Price on the shelf did not match the price at the till.",
            2,
            "Survey",
        ),
        CommentView(DAY - dt.timedelta(days=6), "Quick in and out, friendly people.", None, None),
    )


def messages() -> tuple[MessageView, ...]:
    """Four messages of each kind (news, story, lesson, expectation)."""
    texts = {
        "news": [
            (
                "Holiday hours start Friday",
                "Open 7 am to 11 pm from 27 Nov to 31 Dec. Check the rota board for your shifts.",
            ),
            (
                "New loyalty app is live",
                "Customers can now scan the app at the till. Ask every customer if they have it.",
            ),
            ("Truck moved to Thursdays", "Deliveries arrive Thursday 6 am from next week."),
            ("Welcome, Sam!", "Sam joins the team in the stockroom on Monday."),
        ],
        "story": [
            (
                "A wedding saved",
                "When a bride's shoes broke an hour before the ceremony, Priya drove a new pair "
                "to the venue. The family wrote to HQ to say thank you.",
            ),
            (
                "The lost ring",
                "Jon searched the car park with a customer for 40 minutes and found her ring "
                "by the trolley bay.",
            ),
            (
                "Birthday surprise",
                "The bakery team added a free candle and a card for a boy turning six. "
                "His mum cried.",
            ),
            ("Rain check", "Ana kept a sold-out TV aside for a customer stuck in traffic."),
        ],
        "lesson": [
            (
                "Open a second lane at five in the queue",
                "Last month's long waits all began with one lane open and five people waiting. "
                "Call for help at five.",
            ),
            (
                "Face the shelves at 4 pm",
                "Stores that face shelves before the evening rush scored 6 points higher "
                "on appearance.",
            ),
            (
                "Say the customer's name",
                "Mystery shoppers rate us higher when staff use their name from the card.",
            ),
            (
                "Check the price labels Monday",
                "Most price complaints come after the weekly price change.",
            ),
        ],
        "expectation": [
            (
                "Greet within 10 seconds",
                "Every customer gets a hello within 10 seconds of coming in.",
            ),
            ("No phones on the floor", "Personal phones stay in the locker during your shift."),
            ("Clean as you go", "Leave every aisle tidier than you found it."),
            ("Walk them to it", "When a customer asks where something is, walk them there."),
        ],
    }
    out = []
    for kind, items in texts.items():
        for n, (title, body) in enumerate(items):
            end = None if n % 2 == 0 else DAY + dt.timedelta(days=3 + n)
            out.append(MessageView(title, body, kind, DAY - dt.timedelta(days=n), end))  # type: ignore[arg-type]
    return tuple(out)


def leaderboard() -> Leaderboard:
    """Six stores on the month's sales, ranked by pace (24 of 30 days gone, so the month so
    far is 80% of the pace): a tie for third (this store is one of them) and one without
    data."""
    return Leaderboard(
        metric="sales",
        label="Sales",
        period="month",
        region="North",
        rows=(
            LeaderRow(1, "S004", "Lakeside", 90.0, False, pace=112.5),
            LeaderRow(2, "S002", "Northgate Mall", 83.2, False, pace=104.0),
            LeaderRow(3, "S001", "Downtown", 78.6, True, pace=98.2),
            LeaderRow(3, "S005", "Airport Terminal B", 78.6, False, pace=98.2),
            LeaderRow(5, "S003", "Riverside", 69.6, False, pace=87.0),
            LeaderRow(None, "S006", "Uptown", None, False),
        ),
    )


def recognitions() -> tuple[Recognition, ...]:
    return (
        Recognition("Maria Lopez", "Five customer compliments this week, by name!", DAY, "store"),
        Recognition(
            "Stockroom team",
            "Unloaded the holiday truck in record time with zero damage.",
            DAY - dt.timedelta(days=1),
            "hq",
        ),
        Recognition(
            "Jon Park",
            "Found a customer's lost ring in the car park.",
            DAY - dt.timedelta(days=4),
            "store",
        ),
    )


def entries() -> tuple[EntryRow, ...]:
    return (
        EntryRow("customers", "Customer count", "", 0, DAY, 412, "store"),
        EntryRow("shrink", "Shrink", "$", 0, DAY, 120, "hq"),
        EntryRow("training", "Training hours", "h", 1, DAY, 6.5, "store"),
        EntryRow("appearance", "Store appearance score", "%", 0, DAY, None, None),
    )


def full_snapshot() -> BoardSnapshot:
    """Everything filled in: the board on a busy day."""
    ms = metrics()
    return BoardSnapshot(
        store_id="S001",
        store_name="Downtown",
        date=DAY,
        scoreboard=Scoreboard("S001", DAY, ms),
        comments=comments(),
        messages=messages(),
        leaderboard=leaderboard(),
        celebration=Celebration(tuple(m for m in ms if m.status == "met"), recognitions()),
        freshness=Freshness(dt.datetime(2026, 11, 24, 10, 42, tzinfo=TZ), False),
        entries=entries(),
        trends=trends(),
    )


def empty_snapshot() -> BoardSnapshot:
    """A store on its first day: nothing from HQ yet."""
    return BoardSnapshot(
        store_id="S001",
        store_name="Downtown",
        date=DAY,
        scoreboard=Scoreboard("S001", DAY, ()),
    )


def stale_snapshot() -> BoardSnapshot:
    return dataclasses.replace(
        full_snapshot(),
        freshness=Freshness(dt.datetime(2026, 11, 23, 9, 12, tzinfo=TZ), True, ("metrics",)),
    )


def many_metrics_snapshot(count: int = 12) -> BoardSnapshot:
    """More metrics than one page holds."""
    perspectives = ("financial", "customer", "process", "learning")
    rows = []
    for n in range(count):
        perspective = perspectives[n % 4]
        metric = f"m{n}"
        rows.append(
            entry(metric, f"Metric {n}", perspective, "day", 100 + n, 120, 85.0, None, "behind")
        )
        rows.append(
            entry(metric, f"Metric {n}", perspective, "week", 700, 840, 83.3, 97.2, "behind")
        )
        rows.append(
            entry(metric, f"Metric {n}", perspective, "month", 3000, 3600, 83.3, 104.2, "on_track")
        )
    return dataclasses.replace(full_snapshot(), scoreboard=Scoreboard("S001", DAY, tuple(rows)))


def many_comments_snapshot(count: int = 30) -> BoardSnapshot:
    rows = tuple(
        CommentView(
            DAY - dt.timedelta(days=n % 10),
            f"Comment {n}: " + "friendly staff and a clean store " * 3,
            (n % 5) + 1,
            "Survey",
        )
        for n in range(count)
    )
    return dataclasses.replace(full_snapshot(), comments=rows)


def big_leaderboard_snapshot(count: int = 40, self_rank: int = 33) -> BoardSnapshot:
    rows = []
    for n in range(1, count + 1):
        pace = 130.0 - n
        name = f"Store number {n}"
        rows.append(LeaderRow(n, f"S{n:03d}", name, pace * 0.8, n == self_rank, pace=pace))
    board = dataclasses.replace(leaderboard(), rows=tuple(rows))
    return dataclasses.replace(full_snapshot(), leaderboard=board)


def big_numbers_snapshot() -> BoardSnapshot:
    rows = (
        entry(
            "rev",
            "Revenue",
            "financial",
            "day",
            1234567.89,
            1200000,
            102.9,
            None,
            "met",
            unit="$",
            decimals=2,
        ),
        entry(
            "neg",
            "Net margin",
            "financial",
            "day",
            -4321.5,
            1000,
            -432.2,
            None,
            "behind",
            unit="€",
            decimals=1,
        ),
        entry("none", "Appearance", "process", "day", None, 95, None, None, None, unit="%"),
    )
    return dataclasses.replace(full_snapshot(), scoreboard=Scoreboard("S001", DAY, rows))
