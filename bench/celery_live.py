"""Celery's own live event consumer, as `celery events` (celery/events/cursesmon.py capture_events)
runs it: app.events.Receiver(conn, handlers={'*': ...}).capture() into celery.events.state.State,
reconnecting when the connection is lost. The curses display thread is left out (it would only take
more CPU from the consumer). Used by bench/live.ts as the reference for the live benchmark.

    /usr/bin/python3 bench/celery_live.py BROKER_URL STATS_FILE

Writes {"events", "lagMs": {"count", "p50", "p99", "max"}, "disconnects", "connected"} to STATS_FILE
once a second (lag: time after State.event minus the event's timestamp, 1 ms buckets) and exits on
SIGTERM after a last write.
"""
import json
import os
import signal
import sys
import threading
import time

from celery import Celery
from celery.events.state import State

broker, stats_path = sys.argv[1], sys.argv[2]
app = Celery(broker=broker)
state = State()  # max_tasks_in_memory=10000, as `celery events`
BUCKETS = 60_000
lag = [0] * (BUCKETS + 1)
stats = {"events": 0, "lag_max": 0, "disconnects": 0, "connected": False}
now = time.time


def on_event(event):
    state.event(event)
    ms = int((now() - event["timestamp"]) * 1000)
    if ms < 0:
        ms = 0
    lag[ms if ms < BUCKETS else BUCKETS] += 1
    stats["events"] += 1
    if ms > stats["lag_max"]:
        stats["lag_max"] = ms


def quantile(q, count):
    if count == 0:
        return 0
    target = -(-q * count // 1)
    seen = 0
    for ms, n in enumerate(lag):
        seen += n
        if seen >= target:
            return ms
    return BUCKETS


def write():
    count = sum(lag)
    out = {
        "pid": os.getpid(),
        "events": stats["events"],
        "tasks": len(state.tasks),
        "workers": len(state.workers),
        "disconnects": stats["disconnects"],
        "connected": stats["connected"],
        "lagMs": {
            "count": count,
            "p50": quantile(0.5, count),
            "p99": quantile(0.99, count),
            "max": stats["lag_max"],
        },
    }
    with open(stats_path + ".tmp", "w") as f:
        f.write(json.dumps(out) + "\n")
    os.replace(stats_path + ".tmp", stats_path)


def writer():
    while True:
        time.sleep(1)
        write()


def stop(*_):
    write()
    os._exit(0)


signal.signal(signal.SIGTERM, stop)
threading.Thread(target=writer, daemon=True).start()

while True:
    with app.connection_for_read() as conn:
        try:
            conn.ensure_connection(max_retries=100)
            recv = app.events.Receiver(conn, handlers={"*": on_event})
            stats["connected"] = True
            write()
            recv.capture(limit=None, timeout=None, wakeup=False)
        except conn.connection_errors + conn.channel_errors as exc:
            stats["connected"] = False
            stats["disconnects"] += 1
            print(f"Connection lost: {exc!r}", file=sys.stderr)
