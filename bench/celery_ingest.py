#!/usr/bin/python3
"""Celery's own ingest of a recorded event stream: kombu decode + State().event().

Run with Debian's Celery: /usr/bin/python3 bench/celery_ingest.py speed --file F [--passes 3]
                          /usr/bin/python3 bench/celery_ingest.py mem --file F --max-tasks N

Each recorded line {"t", "channel", "data"} becomes the reply redis-py's PubSub
would hand kombu, [b'pmessage', b'/0.celeryev/*', channel, data], and goes
through the same code `celery events` runs for every message:

  kombu Channel._receive_one     bytes_to_str + loads (json) of the envelope, channel → exchange → queue
  Transport._deliver             → the consumer callback of Channel.basic_consume
  virtual Message(payload)       base64 decode of the body
  Consumer._receive_callback     accept check, Message.decode() (kombu.serialization.loads: json)
  EventReceiver._receive         list (task.multi) or one event
  EventReceiver.event_from_message   clock adjust / task-sent clock replacement, utcoffset timestamp
                                 adjustment, local_received
  State.event                    (the '*' handler, as in `celery events` / flower)

The consumer is the one EventReceiver.get_consumers() builds, on a channel of
kombu's Redis transport whose socket is cut off (kombu_offline.py). Only two
things differ from a live receiver: no socket read / RESP parse, and
`local_received` is the recorded arrival time `t` instead of time.time()
(a C-level partial, no Python frame). A replay runs minutes of traffic in
seconds, so wall-clock `local_received` would differ from the event timestamps
by more than Celery's 16 s drift limit and make State call its drift warning
on every event, which a live receiver never does.

Only the loop over the in-memory replies is timed. Prints one JSON object.
"""
import argparse
import base64
import gc
import json
import os
import sys
import time
from functools import partial
from operator import getitem

os.environ.setdefault('TZ', 'UTC')
time.tzset()
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from celery import Celery  # noqa: E402
from celery.events.receiver import EventReceiver  # noqa: E402
from celery.events.state import State  # noqa: E402
from kombu import Connection, Consumer  # noqa: E402

from kombu_offline import FakePubSubConnection, OfflineChannel, OfflineTransport  # noqa: E402

PATTERN = b'/0.celeryev/*'
BROKER = 'redis://127.0.0.1:6379/0'


def proc_status():
    out = {}
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(('VmRSS:', 'VmHWM:')):
                k, v = line.split(':', 1)
                out[k] = int(v.split()[0]) * 1024
    return out


def make_receiver(state):
    """A live `celery events`-style receiver feeding `state`; returns (channel, now_cell)."""
    app = Celery('bench', broker=BROKER, set_as_current=False)
    conn = Connection(BROKER, transport=OfflineTransport)
    channel = conn.channel()
    receiver = EventReceiver(channel, handlers={'*': state.event}, app=app)
    # as kombu.mixins.ConsumerMixin.consumer() does
    consumers = receiver.get_consumers(partial(Consumer, channel, on_decode_error=receiver.on_decode_error), channel)
    for c in consumers:
        c.__enter__()  # declare (queue + fanout binding) and consume
    assert channel._fanout_to_queue, 'consumer not bound to the celeryev fanout exchange'
    now_cell = [0.0]
    receiver.event_from_message = partial(EventReceiver.event_from_message, receiver,
                                          now=partial(getitem, now_cell, 0))
    return channel, now_cell, (app, conn, receiver, consumers)


# no pipeline round trip for queue_declare's size query
OfflineChannel._size = lambda self, queue: 0


def load(path):
    replies, times = [], []
    with open(path, 'rb') as f:
        for line in f:
            d = json.loads(line)
            replies.append([b'pmessage', PATTERN, d['channel'].encode(), d['data'].encode()])
            times.append(d['t'])
    return replies, times


def one_pass(replies, times, max_tasks):
    state = State(max_tasks_in_memory=max_tasks)
    channel, now_cell, keep = make_receiver(state)
    fake = FakePubSubConnection()
    fake.parse_response = iter(replies).__next__
    receive_one = channel._receive_one
    gc.collect()
    t0 = time.perf_counter()
    for t in times:
        now_cell[0] = t
        receive_one(fake)
    elapsed = time.perf_counter() - t0
    return state, elapsed


def count_states(state):
    counts = {}
    for task in state.tasks.values():
        counts[task.state] = counts.get(task.state, 0) + 1
    return counts


def cmd_speed(a):
    replies, times = load(a.file)
    passes = []
    for i in range(a.passes):
        state, elapsed = one_pass(replies, times, a.max_tasks)
        ev = state.event_count
        passes.append({'pass': i + 1, 'events': ev, 'messages': len(times), 'seconds': round(elapsed, 4),
                       'events_per_s': round(ev / elapsed, 1), 'tasks': len(state.tasks),
                       'workers': len(state.workers), 'rss': proc_status()['VmRSS']})
        states = count_states(state)
        rejected = rejected_elsewhere(state, replies)
        del state
        gc.collect()
    print(json.dumps({'impl': 'celery', 'mode': 'speed', 'file': os.path.basename(a.file),
                      'python': sys.version.split()[0], 'celery': __import__('celery').__version__,
                      'kombu': __import__('kombu').__version__, 'passes': passes,
                      'peak_rss': proc_status()['VmHWM'], 'states': states,
                      'rejected_elsewhere': rejected}))


def rejected_elsewhere(state, replies):
    """Tasks that got a task-rejected event but that Celery's State leaves in another state, counted by
    that state: celerytop shows them REJECTED (a documented departure, docs/STATE.md). Untimed."""
    uuids = set()
    for reply in replies:
        if b'celeryev/task.' not in reply[2]:
            continue
        body = json.loads(base64.b64decode(json.loads(reply[3])['body']))
        # task.multi carries a batch: a list of events.
        for event in body if isinstance(body, list) else [body]:
            if event.get('type') == 'task-rejected':
                uuids.add(event.get('uuid'))
    counts = {}
    for uuid in uuids:
        task = state.tasks.get(uuid)
        if task is not None and task.state != 'REJECTED':
            counts[task.state] = counts.get(task.state, 0) + 1
    return counts


def cmd_mem(a):
    gc.collect()
    base = proc_status()['VmRSS']
    state = State(max_tasks_in_memory=a.max_tasks)
    channel, now_cell, keep = make_receiver(state)
    fake = FakePubSubConnection()
    holder = [None]
    fake.parse_response = partial(getitem, holder, 0)
    receive_one = channel._receive_one
    messages = 0
    t0 = time.perf_counter()
    with open(a.file, 'rb') as f:
        for line in f:
            d = json.loads(line)
            holder[0] = [b'pmessage', PATTERN, d['channel'].encode(), d['data'].encode()]
            now_cell[0] = d['t']
            receive_one(fake)
            messages += 1
    elapsed = time.perf_counter() - t0
    holder[0] = d = line = None
    for _ in range(3):
        gc.collect()
    st = proc_status()
    print(json.dumps({'impl': 'celery', 'mode': 'mem', 'file': os.path.basename(a.file),
                      'max_tasks': a.max_tasks, 'events': state.event_count, 'messages': messages,
                      'tasks': len(state.tasks), 'workers': len(state.workers),
                      'taskheap': len(state._taskheap), 'seconds': round(elapsed, 2),
                      'rss_baseline': base, 'rss': st['VmRSS'], 'peak_rss': st['VmHWM'],
                      'states': count_states(state)}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    s = sub.add_parser('speed')
    s.add_argument('--file', required=True)
    s.add_argument('--passes', type=int, default=3)
    s.add_argument('--max-tasks', type=int, default=10000)  # State's default max_tasks_in_memory
    m = sub.add_parser('mem')
    m.add_argument('--file', required=True)
    m.add_argument('--max-tasks', type=int, required=True)
    a = ap.parse_args()
    (cmd_speed if a.cmd == 'speed' else cmd_mem)(a)


if __name__ == '__main__':
    main()
