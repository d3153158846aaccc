"""Fleet: what 1,000 kiosks polling HQ cost, against real nginx (issue 6 item 7).

HQ: nginx from the distribution's packages on 127.0.0.1 (bench/_nginx.py: ETag and
Last-Modified on, gzip on for CSV and JSON), serving feeds in the demo's formats
(kiosk/demo/feeds.py) sized like a 1,000-store HQ:

- `stores.csv` (all 1,000 stores, 50 regions of 20), `catalog.csv` (20 metrics) and
  `messages.json` (kiosk/demo/feeds.py `messages_json`): one file for the whole fleet;
- `metrics/R01.csv` ...: one file per region, 20 stores x 60 days x 20 metrics = 24,000 rows.
  Per region because a kiosk keeps its own rows and its region's (the leaderboard needs them):
  one file per store would starve the leaderboard, and one fleet-wide file (1.2 million rows)
  would make every kiosk download 50 times what it keeps;
- `targets/R01.csv`: the region's day, week and month targets;
- `comments/S0001.csv`: one per store (kiosk/demo/feeds.py `comments_csv`), comments are per store.

Fleet: each simulated kiosk polls its six feeds with the intervals of the repository's
config.toml and the scheduler's jitter (kiosk/scheduling.py), with a random phase, sending the
validators it got last time (If-None-Match, If-Modified-Since) and the kiosk's own Accept and
Accept-Encoding headers. Time is compressed: the polls of a simulated hour run in time order as
fast as the client processes can send them. Every kiosk first downloads every feed once (not
counted), as a kiosk that has been running would already have.

Scenarios, each figure taken from nginx's access log (`$bytes_sent`: status line, headers and
the gzip body as sent; TCP/TLS overhead not included):
- nothing changed: every poll should be a 304;
- metrics change hourly: each region's metrics file is rewritten at the start of each
  simulated hour (today's rows get new values; a new mtime, so a new ETag);
- baseline: the same schedule with unconditional GETs (no validators), for a sample of stores
  (every one of their polls downloads the whole gzip body; doing it for 1,000 would move tens
  of GB through loopback for nothing: bytes per store do not depend on the fleet size).

Figures are per simulated window, scaled to a day (every poll interval divides an hour).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import shutil
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench import Result, format_number, skipped
from bench._nginx import INSTALL_HINT, Nginx, find_nginx
from bench._util import REPO, scratch_dir

TODAY = dt.date(2026, 11, 18)
STORES_PER_REGION = 20
HISTORY_DAYS = 60
N_METRICS = 20
PROCESSES = 3
THREADS = 8
# Bench targets (issue 6 sets none for bandwidth): a 304 poll costs under 1% of a full one,
# a changed file is downloaded once per kiosk, and nginx serves ten times the fleet's demand.
UNCHANGED_RATIO_TARGET = 0.01
HEADROOM_TARGET = 10.0
KINDS = ("stores", "catalog", "metrics", "targets", "comments", "messages")


@dataclass(frozen=True)
class Sizes:
    stores: int
    hours: int
    baseline_stores: int


FULL = Sizes(stores=1000, hours=2, baseline_stores=10)
QUICK = Sizes(stores=100, hours=1, baseline_stores=3)


def store_id(i: int) -> str:
    return f"S{i + 1:04d}"


def region_of(i: int) -> str:
    return f"R{i // STORES_PER_REGION + 1:02d}"


def feed_paths(i: int) -> dict[str, str]:
    """The URL path of each feed a kiosk of store `i` polls."""
    region, sid = region_of(i), store_id(i)
    return {
        "stores": "/stores.csv",
        "catalog": "/catalog.csv",
        "metrics": f"/metrics/{region}.csv",
        "targets": f"/targets/{region}.csv",
        "comments": f"/comments/{sid}.csv",
        "messages": "/messages.json",
    }


# --- HQ's files ---------------------------------------------------------------------------


class Hq:
    """Writes the fleet's feeds into a docroot; rewrites the metrics files on demand."""

    def __init__(self, root: Path, n_stores: int) -> None:
        self.root = root
        self.n_stores = n_stores
        self.regions = sorted({region_of(i) for i in range(n_stores)})
        self.metrics = [f"metric_{m:02d}" for m in range(1, N_METRICS + 1)]
        self._history: dict[str, str] = {}  # region -> the rows before today

    def _members(self, region: str) -> list[str]:
        return [store_id(i) for i in range(self.n_stores) if region_of(i) == region]

    def write_all(self) -> None:
        from kiosk.config import StoreConfig
        from kiosk.demo.feeds import comments_csv, messages_json

        for sub in ("metrics", "targets", "comments"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self._write(
            "stores.csv",
            "store_id,name,region\n"
            + "".join(
                f"{store_id(i)},Store {i + 1},{region_of(i)}\n" for i in range(self.n_stores)
            ),
        )
        self._write(
            "catalog.csv",
            "metric,label,unit,perspective,direction,aggregate,decimals,entry\n"
            + "".join(
                f"{m},Metric {k + 1},$,{('financial', 'customer', 'process', 'learning')[k % 4]},"
                f"up,sum,0,{'yes' if k < 3 else 'no'}\n"
                for k, m in enumerate(self.metrics)
            ),
        )
        self._write("messages.json", messages_json("*", TODAY))
        for i in range(self.n_stores):
            store = StoreConfig(store_id(i), f"Store {i + 1}", "America/Chicago")
            self._write(f"comments/{store.id}.csv", comments_csv(store.id, TODAY))
        week = TODAY - dt.timedelta(days=TODAY.weekday())
        for region in self.regions:
            rng = random.Random(region)
            rows = []
            for offset in range(HISTORY_DAYS - 1, 0, -1):
                day = (TODAY - dt.timedelta(days=offset)).isoformat()
                for sid in self._members(region):
                    for m in self.metrics:
                        rows.append(f"{sid},{day},{m},{rng.uniform(10, 20000):.2f}\n")
            self._history[region] = "store_id,date,metric,value\n" + "".join(rows)
            self.rewrite_metrics(region, version=0)
            targets = ["store_id,metric,period,start,target\n"]
            for sid in self._members(region):
                for k, m in enumerate(self.metrics):
                    targets.append(f"{sid},{m},month,{TODAY.replace(day=1)},{300000 + k}\n")
                    targets.append(f"{sid},{m},week,{week},{70000 + k}\n")
                    if k < 5:
                        for offset in range(14):
                            day = TODAY - dt.timedelta(days=offset)
                            targets.append(f"{sid},{m},day,{day},{10000 + k}\n")
            self._write(f"targets/{region}.csv", "".join(targets))

    def rewrite_metrics(self, region: str, version: int, mtime: float | None = None) -> None:
        """Today's rows with new values (as HQ's hourly export would), atomically."""
        rng = random.Random(f"{region}-{version}")
        today = "".join(
            f"{sid},{TODAY.isoformat()},{m},{rng.uniform(10, 20000):.2f}\n"
            for sid in self._members(region)
            for m in self.metrics
        )
        self._write(f"metrics/{region}.csv", self._history[region] + today, mtime)

    def _write(self, name: str, text: str, mtime: float | None = None) -> None:
        path = self.root / name
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.chmod(0o644)
        if mtime is not None:
            # nginx's ETag is mtime (seconds) and size: a rewrite within the same second with the
            # same size would keep its ETag, so each simulated hour gets its own mtime.
            os.utime(tmp, (mtime, mtime))
        tmp.replace(path)

    def size(self, name: str) -> int:
        return (self.root / name).stat().st_size


# --- the simulated fleet ------------------------------------------------------------------


def poll_schedule(
    n_stores: int, hours: int, intervals: dict[str, float], jitter: dict[str, float], seed: int
) -> list[list[list[tuple[float, str]]]]:
    """[hour][store] -> the (time, kind) polls of that store in that hour, in time order."""
    rng = random.Random(seed)
    window = hours * 3600.0
    plan: list[list[list[tuple[float, str]]]] = [
        [[] for _ in range(n_stores)] for _ in range(hours)
    ]
    for i in range(n_stores):
        for kind in KINDS:
            interval = intervals[kind]
            t = rng.uniform(0, interval)  # a random phase: the fleet did not boot in step
            while True:
                at = t + rng.uniform(0, jitter[kind])  # APScheduler adds jitter per run
                if at >= window:
                    break
                plan[int(at // 3600)][i].append((at, kind))
                t += interval
    for hour in plan:
        for polls in hour:
            polls.sort()
    return plan


Validators = dict[tuple[int, str], tuple[str | None, str | None]]
_local = threading.local()


def _session():
    session = getattr(_local, "session", None)
    if session is None:
        import requests

        session = _local.session = requests.Session()
    return session


def _poll_store(
    base_url: str,
    i: int,
    polls: Sequence[tuple[float, str]],
    validators: Validators,
    conditional: bool,
) -> tuple[Counter[int], Validators]:
    from sync.fetch.http_download import ACCEPT, ACCEPT_ENCODING

    session = _session()
    paths = feed_paths(i)
    statuses: Counter[int] = Counter()
    updated: Validators = {}
    for _at, kind in polls:
        headers = {
            "User-Agent": "store-scoreboard-kiosk",
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        etag, modified = updated.get((i, kind)) or validators.get((i, kind)) or (None, None)
        if conditional and etag:
            headers["If-None-Match"] = etag
        if conditional and modified:
            headers["If-Modified-Since"] = modified
        if conditional:
            response = session.get(base_url + paths[kind], headers=headers)
            _ = response.content  # read (and gunzip) the body as the kiosk does
        else:
            # The baseline only needs nginx to send the body: read it raw, skip the gunzip.
            response = session.get(base_url + paths[kind], headers=headers, stream=True)
            response.raw.read(decode_content=False)
        response.close()
        statuses[response.status_code] += 1
        if response.status_code == 200:
            updated[(i, kind)] = (
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            )
    return statuses, updated


def _worker(
    args: tuple[str, list[tuple[int, list[tuple[float, str]]]], Validators, bool],
) -> tuple[Counter[int], Validators]:
    """In a client process: poll for a shard of stores, one thread per few stores."""
    base_url, shard, validators, conditional = args
    statuses: Counter[int] = Counter()
    updated: Validators = {}
    with ThreadPoolExecutor(THREADS) as pool:
        for got, new in pool.map(
            lambda item: _poll_store(base_url, item[0], item[1], validators, conditional), shard
        ):
            statuses.update(got)
            updated.update(new)
    return statuses, updated


@dataclass
class Scenario:
    name: str
    requests: int
    wall_s: float
    bytes_sent: int  # response bytes, all of it (headers + gzip body)
    request_bytes: int
    statuses: Counter[int]
    per_kind_200: Counter[str]
    stores: int
    hours: int

    def per_store_day(self, value: float) -> float:
        return value / self.stores / self.hours * 24


def _run_scenario(
    name: str,
    pool: multiprocessing.pool.Pool,
    server: Nginx,
    plan: list[list[list[tuple[float, str]]]],
    stores: Sequence[int],
    validators: Validators,
    *,
    conditional: bool,
    before_hour: object = None,
) -> Scenario:
    start_log = server.log_size()
    statuses: Counter[int] = Counter()
    wall = 0.0
    for hour, per_store in enumerate(plan):
        if callable(before_hour):
            before_hour(hour)
        shards = [
            (
                server.base_url,
                [(i, per_store[i]) for i in stores[k::PROCESSES]],
                validators,
                conditional,
            )
            for k in range(PROCESSES)
        ]
        started = time.perf_counter()
        for got, new in pool.map(_worker, shards):
            statuses.update(got)
            validators.update(new)
        wall += time.perf_counter() - started
    time.sleep(0.2)  # let nginx finish writing the access log
    lines = server.log_lines(start_log)
    per_kind_200: Counter[str] = Counter()
    for line in lines:
        if line.status == 200:
            kind = line.uri.strip("/").split("/")[0].split(".")[0]
            per_kind_200[kind] += 1
    return Scenario(
        name=name,
        requests=len(lines),
        wall_s=wall,
        bytes_sent=sum(line.bytes_sent for line in lines),
        request_bytes=sum(line.request_bytes for line in lines),
        statuses=Counter(line.status for line in lines),
        per_kind_200=per_kind_200,
        stores=len(stores),
        hours=len(plan),
    )


def _intervals() -> tuple[dict[str, float], dict[str, float]]:
    """Poll interval and jitter (seconds) per feed kind, from the repository's config.toml."""
    from kiosk.config import load_config
    from kiosk.scheduling import feed_jitter_seconds

    config = load_config(REPO / "config.toml")
    intervals: dict[str, float] = {}
    jitter: dict[str, float] = {}
    for spec in config.feeds:
        intervals[spec.kind] = spec.every_minutes * 60
        jitter[spec.kind] = feed_jitter_seconds(config, spec)
    missing = [k for k in KINDS if k not in intervals]
    if missing:
        raise RuntimeError(f"config.toml has no feed of kind {', '.join(missing)}")
    return intervals, jitter


def _kb(value: float) -> str:
    return format_number(value / 1024, "KB")


def run(quick: bool) -> list[Result]:
    if find_nginx() is None:
        return [skipped("fleet", INSTALL_HINT)]
    sizes = QUICK if quick else FULL
    intervals, jitter = _intervals()
    polls_per_day = sum(86400 / intervals[k] for k in KINDS)
    work = scratch_dir("fleet")
    hq = Hq(work / "feeds", sizes.stores)
    hq.write_all()
    plan = poll_schedule(sizes.stores, sizes.hours, intervals, jitter, seed=6)
    everyone = list(range(sizes.stores))
    # One store per region (spread over the regions) for the unconditional baseline.
    sample = [
        r * STORES_PER_REGION
        for r in range(0, len(hq.regions), max(1, len(hq.regions) // sizes.baseline_stores))
    ][: sizes.baseline_stores]
    epoch = time.time() - 7 * 86400
    metrics_file = hq.size(f"metrics/{hq.regions[0]}.csv")

    try:
        with (
            Nginx(work / "nginx", hq.root) as server,
            multiprocessing.get_context("spawn").Pool(PROCESSES) as pool,
        ):
            # Warm-up: every kiosk holds the current validators of every feed.
            validators: Validators = {}
            warm = [[[(0.0, kind) for kind in KINDS] for _ in range(sizes.stores)]]
            _run_scenario("warm-up", pool, server, warm, everyone, validators, conditional=True)

            unchanged = _run_scenario(
                "nothing changed", pool, server, plan, everyone, validators, conditional=True
            )

            def new_metrics(hour: int) -> None:
                for region in hq.regions:
                    hq.rewrite_metrics(region, version=hour + 1, mtime=epoch + 3600 * (hour + 1))

            hourly = _run_scenario(
                "metrics change hourly",
                pool,
                server,
                plan,
                everyone,
                validators,
                conditional=True,
                before_hour=new_metrics,
            )
            baseline = _run_scenario(
                "unconditional", pool, server, plan[:1], sample, {}, conditional=False
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if unchanged.statuses.get(200):
        raise RuntimeError(f"nothing changed, yet nginx sent {unchanged.statuses[200]} full bodies")
    demand = sizes.stores * polls_per_day / 86400
    served = unchanged.requests / unchanged.wall_s
    down_unchanged = unchanged.per_store_day(unchanged.bytes_sent)
    down_hourly = hourly.per_store_day(hourly.bytes_sent)
    down_base = baseline.per_store_day(baseline.bytes_sent)
    downloads_per_change = hourly.per_kind_200["metrics"] / (sizes.stores * sizes.hours)
    schedule = ", ".join(f"{k} {intervals[k] / 60:g}" for k in KINDS)
    fleet = 1000  # HQ bandwidth is quoted for a 1,000-store fleet whatever the simulated size
    gb = 1024**3
    scale = "" if sizes.stores == fleet else f" (scaled from {sizes.stores} simulated stores)"
    return [
        Result(
            name="fleet: requests/s nginx served (304s)",
            figure=served,
            unit="req/s",
            baseline=demand,
            baseline_is=f"the fleet's average demand ({sizes.stores:,} stores x "
            f"{polls_per_day:,.0f} polls/day)",
            target=f">= {HEADROOM_TARGET:g}x demand",
            ok=served >= HEADROOM_TARGET * demand,
            note=f"{unchanged.requests:,} requests in {unchanged.wall_s:.1f} s from "
            f"{PROCESSES} client processes x {THREADS} threads (client-bound: Python requests "
            f"on the same 2 cores); poll minutes: {schedule} (config.toml)",
        ),
        Result(
            name="fleet: bytes/store/day, nothing changed",
            figure=down_unchanged / 1024,
            unit="KB",
            baseline=down_base / 1024,
            baseline_is=f"unconditional GETs, same schedule, {len(sample)} sample stores",
            target=f"ratio <= {UNCHANGED_RATIO_TARGET:g}",
            ok=down_unchanged <= UNCHANGED_RATIO_TARGET * down_base,
            note=f"{unchanged.requests / unchanged.stores / unchanged.hours * 24:,.0f} polls, "
            f"all 304, {unchanged.bytes_sent / unchanged.requests:,.0f} B each; requests add "
            f"{_kb(unchanged.per_store_day(unchanged.request_bytes))} upstream",
        ),
        Result(
            name="fleet: bytes/store/day, metrics change hourly",
            figure=down_hourly / 1024,
            unit="KB",
            baseline=down_base / 1024,
            baseline_is="unconditional GETs, same schedule",
            note=f"metrics file {metrics_file / 1024:,.0f} KB "
            f"({STORES_PER_REGION} stores x {HISTORY_DAYS} days x {N_METRICS} metrics), "
            f"{hourly.per_kind_200['metrics'] / hourly.stores / hourly.hours * 24:.0f} "
            "gzip downloads a day",
        ),
        Result(
            name="fleet: metrics downloads per change per kiosk",
            figure=downloads_per_change,
            unit="",
            target="<= 1",
            ok=downloads_per_change <= 1.0,
            note="a changed file is fetched once, then 304s until it changes again",
        ),
        Result(
            name="fleet: HQ GB/day for 1,000 stores, metrics hourly",
            figure=down_hourly * fleet / gb,
            unit="GB",
            baseline=down_base * fleet / gb,
            baseline_is="unconditional GETs",
            note=f"nothing changed: {down_unchanged * fleet / gb:.2f} GB/day{scale}",
        ),
    ]
