#!/usr/bin/python3
"""Record a Celery event stream in its exact Redis pub/sub wire form.

Run with Debian's Celery: /usr/bin/python3 bench/gen_events.py --variant 100w

A discrete-event simulation of a prefork cluster (simulated, seeded clock)
drives Celery's real sending code:

* every worker has its own `celery.events.EventDispatcher` configured as a
  prefork worker's consumer configures it (`buffer_group=['task']`,
  `on_send_buffered` → flush on the next event-loop turn), so task events go
  out as `task.multi` arrays exactly as `EventDispatcher.flush` builds them,
  including the empty `[]` after a buffer-limit flush;
* heartbeats go through `celery.worker.heartbeat.Heart._send` (worker-online,
  worker-heartbeat every 2 s, worker-offline), with the module globals it reads
  (`active_requests`, `all_total_count`, `load_average`) set per worker;
* `task-sent` comes from client processes and pool children (retries, chain
  children) through `EventDispatcher.publish`, with the field order of
  `celery.app.amqp`;
* the messages are built and serialized by kombu's Redis transport
  (`Producer.publish` → `Channel.basic_publish` → `_put_fanout` → `dumps`);
  only redis-py's PUBLISH is replaced: it writes one JSON line
  `{"t": publish time, "channel": ..., "data": <envelope text>}`, the format of
  test/fixtures/events-pubsub.jsonl.

Timestamps come from the simulated clock (`Event`'s `__now__` default is
pointed at it), delivery tags and task ids from a seeded RNG, so the output is
deterministic for a given variant and generator version.
"""
import argparse
import heapq
import json
import os
import random
import sys
import time
import uuid as uuidlib
from collections import deque
from datetime import datetime, timezone

os.environ['TZ'] = 'UTC'
time.tzset()

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from celery import Celery  # noqa: E402
from celery.events import EventDispatcher  # noqa: E402
from celery.events import event as celery_event  # noqa: E402
from celery.utils.saferepr import saferepr  # noqa: E402
from celery.worker import heartbeat as heartbeat_module  # noqa: E402
from celery.worker.heartbeat import Heart  # noqa: E402
from celery.worker.state import SOFTWARE_INFO  # noqa: E402
from kombu import Connection  # noqa: E402
from kombu.clocks import LamportClock  # noqa: E402

from kombu_offline import OfflineChannel, OfflineRedis, OfflineTransport  # noqa: E402

GEN_VERSION = 3

VARIANTS = {
    # name: workers, client tasks, tasks/s, seed
    '100w': dict(workers=100, tasks=50_000, rate=100.0, seed=100),
    '1000w': dict(workers=1000, tasks=41_000, rate=400.0, seed=1000),
    # memory stream: more than 100,000 distinct tasks, each with a full lifecycle
    'mem': dict(workers=100, tasks=97_000, rate=200.0, seed=7),
    # small stream for the semantic cross-check (no eviction on either side)
    'check': dict(workers=20, tasks=5_000, rate=50.0, seed=5),
    'tiny': dict(workers=5, tasks=300, rate=20.0, seed=1),
}

T0 = 1795771800.0  # 2026-11-27 09:30 UTC, the fixtures' era
CONCURRENCY = 4
PREFETCH = 4 * CONCURRENCY  # worker_prefetch_multiplier 4
HEARTBEAT_FREQ = 2.0
ARGSREPR_MAX = 1024  # amqp.argsrepr_maxsize / kwargsrepr_maxsize
RESULTREPR_MAX = 1024  # Task.resultrepr_maxsize


class Sim:
    t = T0

    def now(self):
        return self.t


SIM = Sim()
# Event(type, _fields=None, __dict__=dict, __now__=time.time, **fields): the
# sender's time.time() becomes the simulated clock.
celery_event.Event.__defaults__ = (None, dict, SIM.now)
assert celery_event.Event.__defaults__[2] == SIM.now


def iso(ts):
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat()


# ---------------------------------------------------------------- task catalog

FIRST = ['anna', 'li', 'marc', 'sofia', 'yuki', 'omar', 'eva', 'jonas', 'chloé', 'mateo', 'zoë', 'ravi']
DOMAINS = ['example.com', 'mail.example.org', 'corp.example.net', 'bounce.example.com']
SKUS = ['SKU-%05d' % i for i in range(0, 99999, 997)]
PUSH_TEXTS = ['Your order has shipped', 'Votre commande est expédiée ✓', 'Ihre Rechnung ist da',
              'Новое сообщение', '新しいメッセージがあります', 'Reminder: cart expires soon']
EVENT_NAMES = ['page_view', 'add_to_cart', 'checkout_started', 'search', 'login', 'signup']


def email(rng):
    return '%s.%d@%s' % (rng.choice(FIRST), rng.randrange(1, 9999), rng.choice(DOMAINS))


def tb_frames(module, func, line, code, inner=None):
    s = ('Traceback (most recent call last):\n'
         '  File "/usr/lib/python3/dist-packages/celery/app/trace.py", line 451, in trace_task\n'
         '    R = retval = fun(*args, **kwargs)\n'
         '                 ^^^^^^^^^^^^^^^^^^^^\n'
         '  File "/usr/lib/python3/dist-packages/celery/app/trace.py", line 734, in __protected_call__\n'
         '    return self.run(*args, **kwargs)\n'
         '           ^^^^^^^^^^^^^^^^^^^^^^^^^\n'
         '  File "/srv/app/%s.py", line %d, in %s\n'
         '    %s\n' % (module.replace('.', '/'), line, func, code))
    if inner:
        s += inner
    return s


def make_failure(rng, module, func, exc_type, msg):
    exc_repr = '%s(%r)' % (exc_type.rsplit('.', 1)[-1], msg)
    inner = ('  File "/srv/app/lib/clients.py", line %d, in request\n'
             '    raise %s(msg)\n' % (rng.randrange(40, 400), exc_type.rsplit('.', 1)[-1]))
    tb = tb_frames(module, func, rng.randrange(12, 300), 'return client.request(payload)', inner)
    tb += '%s: %s\n' % (exc_type, msg)
    return exc_repr, tb


def make_retry(rng, module, func, exc_type, msg, countdown):
    inner_exc = '%s(%r)' % (exc_type.rsplit('.', 1)[-1], msg)
    code = 'raise self.retry(exc=exc, countdown=%d)' % countdown
    tb = tb_frames(module, func, rng.randrange(12, 300), code,
                   '          %s\n'
                   '  File "/usr/lib/python3/dist-packages/celery/app/task.py", line 738, in retry\n'
                   '    raise ret\n' % ('^' * len(code)))
    tb += 'celery.exceptions.Retry: Retry in %ds: %s\n' % (countdown, inner_exc)
    return inner_exc, tb


class Kind:
    def __init__(self, name, weight, queue, runtime, make_args, make_result, fail_p, failure,
                 retry_p=0.0, retry=None, chain_p=0.0, expires_p=0.0):
        self.name, self.weight, self.queue = name, weight, queue
        self.runtime = runtime  # (mu, sigma) of lognormal seconds
        self.make_args, self.make_result = make_args, make_result
        self.fail_p, self.failure = fail_p, failure
        self.retry_p, self.retry = retry_p, retry
        self.chain_p, self.expires_p = chain_p, expires_p


def _order_args(rng):
    return (rng.randrange(10**6, 10**7),), {'locale': rng.choice(['en_US', 'fr_FR', 'de_DE']),
                                            'template': 'order_confirmation_v3'}


def _charge_args(rng):
    return (), {'order_id': rng.randrange(10**6, 10**7), 'amount_cents': rng.randrange(199, 250000),
                'currency': rng.choice(['EUR', 'USD', 'GBP']),
                'idempotency_key': str(uuidlib.UUID(int=rng.getrandbits(128), version=4))}


def _resize_args(rng):
    w, h = rng.choice([(1920, 1080), (1200, 800), (640, 480), (4032, 3024), (0, 480)])
    return ('/media/uploads/2026/11/%s.jpg' % uuidlib.UUID(int=rng.getrandbits(128)).hex[:16], w, h), \
        {'fmt': rng.choice(['webp', 'avif', 'jpeg']), 'quality': 82}


def _track_args(rng):
    return (rng.randrange(1, 5 * 10**6), rng.choice(EVENT_NAMES),
            {'path': '/p/%s' % rng.choice(SKUS).lower(), 'ref': rng.choice(['google', 'newsletter', None]),
             'ms': rng.randrange(5, 900)}), {}


def _reindex_args(rng):
    return ('product', rng.randrange(1, 400000)), {'fields': ['title', 'price', 'stock', 'tags'][:rng.randrange(1, 5)]}


def _report_args(rng):
    return (), {'report': rng.choice(['daily-sales', 'inventory', 'churn', 'cohorts']),
                'date': '2026-11-%02d' % rng.randrange(1, 27),
                'filters': {'region': rng.choice(['eu', 'us', 'apac']), 'channel': ['web', 'app']}}


def _push_args(rng):
    return (rng.randrange(1, 5 * 10**6), rng.choice(PUSH_TEXTS)), {'badge': rng.randrange(0, 9)}


def _import_args(rng):
    # long argument: argsrepr is cut to 1024 chars by saferepr
    return ([rng.randrange(10**5, 10**6) for _ in range(rng.randrange(20, 400))],), {'source': 's3://etl-in/batch'}


def _email_args(rng):
    return (email(rng),), {'subject': rng.choice(['Your weekly digest', 'Reset your password', 'Welcome! 🎉'])}


def _crm_args(rng):
    return (rng.randrange(1, 10**6),), {}


def _invoice_args(rng):
    return ('INV-2026-%06d' % rng.randrange(1, 999999),), {}


def _webhook_args(rng):
    return ('https://hooks.example.net/%s' % uuidlib.UUID(int=rng.getrandbits(128)).hex[:12],
            {'event': rng.choice(['order.paid', 'order.refunded', 'user.created']),
             'id': rng.randrange(1, 10**7), 'attempt': 1}), {'timeout': 10}


KINDS = [
    Kind('analytics.tasks.track_event', 30, 'analytics', (-4.0, 0.6), _track_args,
         lambda rng, a, k: True, 0.002,
         lambda rng: make_failure(rng, 'analytics.tasks', 'track_event', 'KeyError', 'session')),
    Kind('shop.tasks.send_order_confirmation', 10, 'celery', (-1.6, 0.5), _order_args,
         lambda rng, a, k: None, 0.01,
         lambda rng: make_failure(rng, 'shop.tasks', 'send_order_confirmation', 'smtplib.SMTPServerDisconnected',
                                  'Connection unexpectedly closed'),
         retry_p=0.03, retry=('ConnectionError', 'SMTP 451 temporary failure'), chain_p=0.2),
    Kind('shop.tasks.charge_card', 8, 'payments', (-0.9, 0.4), _charge_args,
         lambda rng, a, k: {'status': 'captured', 'charge_id': 'ch_%s' % uuidlib.UUID(int=rng.getrandbits(128)).hex[:24],
                            'amount_cents': k['amount_cents']}, 0.04,
         lambda rng: make_failure(rng, 'shop.tasks', 'charge_card', 'payments.errors.CardDeclined',
                                  rng.choice(['insufficient_funds', 'do_not_honor', 'expired_card'])),
         retry_p=0.08, retry=('payments.errors.GatewayTimeout', 'gateway timed out after 30s'), chain_p=0.5),
    Kind('media.tasks.resize_image', 8, 'media', (-0.3, 0.7), _resize_args,
         lambda rng, a, k: {'path': '/media/thumbs/%s.%s' % (uuidlib.UUID(int=rng.getrandbits(128)).hex[:12], k['fmt']),
                            'width': a[1], 'height': a[2], 'bytes': rng.randrange(20000, 900000)}, 0.03,
         lambda rng: make_failure(rng, 'media.tasks', 'resize_image', 'ValueError', 'invalid size 0x480')),
    Kind('search.tasks.reindex_document', 12, 'celery', (-2.5, 0.5), _reindex_args,
         lambda rng, a, k: {'indexed': 1, 'took_ms': rng.randrange(2, 90)}, 0.01,
         lambda rng: make_failure(rng, 'search.tasks', 'reindex_document', 'elasticsearch.exceptions.ConnectionTimeout',
                                  'ConnectionTimeout caused by - ReadTimeoutError(HTTPConnectionPool(host=es, port=9200))'),
         retry_p=0.02, retry=('elasticsearch.exceptions.ConnectionError', 'N/A'), expires_p=0.2),
    Kind('notifications.tasks.send_push', 10, 'celery', (-2.0, 0.5), _push_args,
         lambda rng, a, k: {'delivered': rng.random() > 0.1, 'provider': rng.choice(['apns', 'fcm'])}, 0.02,
         lambda rng: make_failure(rng, 'notifications.tasks', 'send_push', 'notifications.errors.InvalidToken',
                                  'device token is no longer valid'), expires_p=0.3),
    Kind('notifications.tasks.send_email', 7, 'celery', (-1.5, 0.6), _email_args,
         lambda rng, a, k: None, 0.05,
         lambda rng: make_failure(rng, 'notifications.tasks', 'send_email', 'ConnectionError',
                                  'SMTP 451 temporary failure for %s' % email(rng)),
         retry_p=0.06, retry=('ConnectionError', 'SMTP 421 try again later')),
    Kind('accounts.tasks.sync_crm_contact', 5, 'io', (-0.7, 0.5), _crm_args,
         lambda rng, a, k: {'contact': a[0], 'changed': ['email', 'phone'][:rng.randrange(0, 3)]}, 0.02,
         lambda rng: make_failure(rng, 'accounts.tasks', 'sync_crm_contact', 'requests.exceptions.HTTPError',
                                  '502 Server Error: Bad Gateway for url: https://crm.example.com/api/v2/contacts'),
         retry_p=0.10, retry=('requests.exceptions.ConnectionError', 'HTTPSConnectionPool(host=crm.example.com, port=443): Max retries exceeded')),
    Kind('billing.tasks.generate_invoice_pdf', 3, 'reports', (0.2, 0.5), _invoice_args,
         lambda rng, a, k: 's3://invoices/2026/11/%s.pdf' % a[0], 0.01,
         lambda rng: make_failure(rng, 'billing.tasks', 'generate_invoice_pdf', 'OSError',
                                  '[Errno 28] No space left on device')),
    Kind('reports.tasks.build_report', 1, 'reports', (1.5, 0.6), _report_args,
         lambda rng, a, k: {'report': k['report'], 'rows': rng.randrange(100, 50000),
                            'seconds': round(rng.uniform(2, 40), 2)}, 0.03,
         lambda rng: make_failure(rng, 'reports.tasks', 'build_report', 'psycopg2.errors.QueryCanceled',
                                  'canceling statement due to statement timeout')),
    Kind('etl.tasks.import_batch', 2, 'io', (0.0, 0.6), _import_args,
         lambda rng, a, k: {'imported': len(a[0]), 'skipped': rng.randrange(0, 5)}, 0.02,
         lambda rng: make_failure(rng, 'etl.tasks', 'import_batch', 'etl.errors.SchemaError',
                                  'column "sku" has type integer but expression is of type text')),
    Kind('webhooks.tasks.deliver', 4, 'io', (-1.2, 0.8), _webhook_args,
         lambda rng, a, k: {'status': 200, 'ms': rng.randrange(30, 2000)}, 0.04,
         lambda rng: make_failure(rng, 'webhooks.tasks', 'deliver', 'requests.exceptions.HTTPError',
                                  '500 Server Error: Internal Server Error for url: %s' % a_url(rng)),
         retry_p=0.12, retry=('requests.exceptions.Timeout', 'Read timed out. (read timeout=10)')),
]


def a_url(rng):
    return 'https://hooks.example.net/%s' % uuidlib.UUID(int=rng.getrandbits(128)).hex[:12]


CHAIN_CHILD = {
    'shop.tasks.send_order_confirmation': 'analytics.tasks.track_event',
    'shop.tasks.charge_card': 'billing.tasks.generate_invoice_pdf',
}
KIND_BY_NAME = {k.name: k for k in KINDS}


# ---------------------------------------------------------------- simulation

class TaskSim:
    __slots__ = ('id', 'kind', 'args', 'kwargs', 'argsrepr', 'kwargsrepr', 'root_id', 'parent_id',
                 'retries', 'eta', 'expires', 'fate', 'max_retries', 'worker', 'slot_taken', 'queue')


class WorkerSim:
    def __init__(self, index, gen):
        self.index = index
        # every 20th worker runs the gevent pool: no event loop buffering, so its task
        # events go out one per message on task.<kind> (as observed on the wire)
        self.gevent = index % 20 == 0
        self.hostname = ('celery@io-%04d' if self.gevent else 'celery@wrk-%04d') % index
        self.gen = gen
        self.accepting = False
        self.alive = False
        self.active = set()
        self.reserved = deque()  # received, waiting for a free pool slot
        self.processed = 0
        self.load = [gen.rng.uniform(0.2, 2.0) for _ in range(3)]
        self.flush_pending = False
        self.last_sync = 0
        self.shutdown_when_idle = False
        self.restart_after = None
        self.hb_seq = 0
        self.pid = None
        self.children = []
        self.child_dispatchers = {}

    def boot(self):
        rng = self.gen.rng
        self.pid = rng.randrange(1000, 4000000)
        self.children = [self.pid] if self.gevent else [self.pid + 2 + i for i in range(CONCURRENCY)]
        self.child_dispatchers = {}
        if self.gevent:
            d = EventDispatcher(self.gen.conn, hostname=self.hostname, app=self.gen.app)
        else:
            d = EventDispatcher(self.gen.conn, hostname=self.hostname, app=self.gen.app,
                                buffer_group=['task'], on_send_buffered=self.on_send_buffered)
        d.pid = self.pid
        d.clock = LamportClock(initial_value=max(0, self.gen.max_worker_clock - rng.randrange(0, 50)))
        self.disp = d
        self.heart = Heart(None, d, interval=HEARTBEAT_FREQ)
        self.alive = True
        self.accepting = True
        self.last_sync = self.gen.worker_events

    # prefork consumer: Consumer.on_send_event_buffered adds _flush_events to the hub's ready set
    def on_send_buffered(self):
        if not self.flush_pending:
            self.flush_pending = True
            self.gen.at(SIM.t + self.gen.rng.uniform(0.0002, 0.004), self.flush)

    def flush(self):
        self.flush_pending = False
        self.disp.flush()

    def gossip(self):
        # worker events of other nodes, received by this node's gossip consumer, adjust its clock
        g = self.gen
        c = self.disp.clock
        c.value = max(c.value + (g.worker_events - self.last_sync), g.max_worker_clock + 1) - 1
        self.last_sync = g.worker_events

    def send_worker(self, type_):
        g = self.gen
        self.gossip()
        la = self.load
        for i in range(3):
            la[i] = min(max(0.01, la[i] + g.rng.uniform(-0.15, 0.15) + 0.02 * (len(self.active) - la[i])), 64)
        heartbeat_module.active_requests = self.active
        heartbeat_module.all_total_count = [self.processed]
        loadavg = tuple(round(x + 0.004999, 2) for x in la)
        heartbeat_module.load_average = lambda: loadavg
        self.heart._send(type_, retry=(type_ != 'worker-offline'))
        g.note_worker_event(self.disp.clock.value)

    def heartbeat(self, seq):
        if not self.alive or seq != self.hb_seq:
            return
        self.send_worker('worker-heartbeat')
        self.gen.at(SIM.t + HEARTBEAT_FREQ + self.gen.rng.uniform(0.0, 0.003), self.heartbeat, seq)

    def online(self):
        self.boot()
        self.hb_seq += 1
        self.send_worker('worker-online')
        self.gen.at(SIM.t + HEARTBEAT_FREQ + self.gen.rng.uniform(0.0, 0.003), self.heartbeat, self.hb_seq)

    def offline(self):
        # Heart.stop(): worker-offline; the dispatcher's buffer was flushed by the consumer's shutdown
        self.disp.flush()
        self.send_worker('worker-offline')
        self.alive = False
        self.hb_seq += 1
        if self.restart_after is not None:
            self.gen.at(SIM.t + self.restart_after, self.online)
            self.restart_after = None

    def begin_shutdown(self, restart_after=None):
        if not self.alive:
            return
        self.accepting = False
        self.restart_after = restart_after
        self.shutdown_when_idle = True
        self.maybe_stop()

    def maybe_stop(self):
        if self.shutdown_when_idle and not self.active and not self.reserved and self.alive:
            self.shutdown_when_idle = False
            self.gen.at(SIM.t + self.gen.rng.uniform(0.01, 0.2), self.offline)

    def child_dispatcher(self):
        cpid = self.gen.rng.choice(self.children)
        d = self.child_dispatchers.get(cpid)
        if d is None:
            host = self.hostname.split('@', 1)[1]
            d = EventDispatcher(self.gen.conn, hostname='gen%d@%s' % (cpid, host), app=self.gen.app)
            d.pid = cpid
            d.clock = LamportClock()
            self.child_dispatchers[cpid] = d
        return d

    def send_task(self, type_, task, **fields):
        self.gossip()
        self.disp.send(type_, uuid=task.id, **fields)


class Generator:
    def __init__(self, variant, out_path):
        cfg = VARIANTS[variant]
        self.cfg = cfg
        self.rng = random.Random(cfg['seed'])
        self.heap = []
        self.seq = 0
        self.messages = 0
        self.events = 0
        self.type_counts = {}
        self.batch_sizes = {}
        self.max_worker_clock = 0
        self.worker_events = 0
        self.task_ids = set()
        self.out = open(out_path, 'w', encoding='utf-8')
        OfflineRedis.sink = self.record
        OfflineChannel.tag_factory = self.uuid
        self.app = Celery('bench', broker='redis://127.0.0.1:6379/0', set_as_current=False)
        self.app.conf.event_serializer = 'json'
        self.conn = Connection('redis://127.0.0.1:6379/0', transport=OfflineTransport)
        self.workers = [WorkerSim(i + 1, self) for i in range(cfg['workers'])]
        self.clients = []
        for k in range(16):
            pid = self.rng.randrange(1000, 4000000)
            d = EventDispatcher(self.conn, hostname='gen%d@web-%02d' % (pid, k + 1), app=self.app)
            d.pid = pid
            d.clock = LamportClock()
            self.clients.append(d)
        self.kind_weights = [k.weight for k in KINDS]

    def uuid(self):
        return str(uuidlib.UUID(int=self.rng.getrandbits(128), version=4))

    def record(self, channel, payload):
        ev = json.loads(payload)
        # count events the cheap way: decode our own body (not part of any timing)
        import base64
        body = json.loads(base64.b64decode(ev['body']))
        if isinstance(body, list):
            n = len(body)
            self.batch_sizes[n] = self.batch_sizes.get(n, 0) + 1
            for e in body:
                self.type_counts[e['type']] = self.type_counts.get(e['type'], 0) + 1
        else:
            n = 1
            self.type_counts[body['type']] = self.type_counts.get(body['type'], 0) + 1
        self.events += n
        self.messages += 1
        self.out.write(json.dumps({'t': SIM.t, 'channel': channel, 'data': payload}))
        self.out.write('\n')
        return 1

    def at(self, t, fn, *args):
        self.seq += 1
        heapq.heappush(self.heap, (t, self.seq, fn, args))

    def note_worker_event(self, clock):
        self.worker_events += 1
        if clock > self.max_worker_clock:
            self.max_worker_clock = clock

    def pick_worker(self):
        # kombu's BRPOP hands a message to whichever idle consumer asks first: a random worker
        # with prefetch room (the list is indexed, not a set, so the choice is deterministic)
        ws, rng = self.workers, self.rng
        for _ in range(32):
            w = ws[rng.randrange(len(ws))]
            if w.accepting and len(w.reserved) + len(w.active) < PREFETCH:
                return w
        avail = [w for w in ws if w.accepting]
        return rng.choice(avail)

    # ---- task lifecycle
    def new_task(self, kind, parent=None):
        rng = self.rng
        t = TaskSim()
        t.id = self.uuid()
        self.task_ids.add(t.id)
        t.kind = kind
        args, kwargs = kind.make_args(rng)
        t.args, t.kwargs = args, kwargs
        t.argsrepr = saferepr(args, ARGSREPR_MAX)
        t.kwargsrepr = saferepr(kwargs, ARGSREPR_MAX)
        t.root_id = parent.root_id if parent else t.id
        t.parent_id = parent.id if parent else None
        t.retries = 0
        t.eta = None
        t.expires = None
        t.worker = None
        t.slot_taken = False
        t.queue = kind.queue
        r = rng.random()
        # fate of the whole task: success / failure / retries then success or failure / revoked / rejected
        if r < 0.010:
            t.fate = 'revoke-before-receipt'
        elif r < 0.020:
            t.fate = 'terminate'
        elif r < 0.023:
            t.fate = 'reject'
        elif r < 0.023 + kind.retry_p:
            t.fate = 'retry'
            t.max_retries = rng.choice([1, 1, 2, 3])
        elif rng.random() < kind.fail_p:
            t.fate = 'fail'
        else:
            t.fate = 'succeed'
        if kind.expires_p and rng.random() < kind.expires_p:
            t.expires = SIM.t + 60.0
            if rng.random() < 0.08:
                t.fate = 'expire'
                t.expires = SIM.t + 0.5
        return t

    def publish_sent(self, dispatcher, task):
        sent_event = {
            'uuid': task.id, 'root_id': task.root_id, 'parent_id': task.parent_id,
            'name': task.kind.name, 'args': task.argsrepr, 'kwargs': task.kwargsrepr,
            'retries': task.retries, 'eta': iso(task.eta) if task.eta else None,
            'expires': iso(task.expires) if task.expires else None,
            'queue': task.queue, 'exchange': '', 'routing_key': task.queue,
        }
        dispatcher.publish('task-sent', sent_event, dispatcher.producer, retry=True, retry_policy=None)

    def client_publish(self, n):
        kind = self.rng.choices(KINDS, self.kind_weights)[0]
        task = self.new_task(kind)
        self.publish_sent(self.rng.choice(self.clients), task)
        self.dispatch(task)
        if n + 1 < self.cfg['tasks']:
            self.at(SIM.t + self.rng.expovariate(self.cfg['rate']), self.client_publish, n + 1)

    def dispatch(self, task, delay=None):
        if not any(w.accepting for w in self.workers):
            self.at(SIM.t + 0.5, self.dispatch, task)
            return
        w = self.pick_worker()
        if delay is None:
            delay = self.rng.uniform(0.0008, 0.015)
        if task.fate == 'expire':
            delay = self.rng.uniform(0.6, 3.0)  # sat in a backlog past its expiry
        self.at(SIM.t + delay, self.receive, w, task)

    def receive(self, w, task):
        if not w.accepting:
            self.dispatch(task)
            return
        task.worker = w
        if task.fate in ('revoke-before-receipt', 'expire'):
            expired = task.fate == 'expire'
            w.send_task('task-revoked', task, terminated=False, signum=None, expired=expired)
            return
        w.send_task('task-received', task, name=task.kind.name, args=task.argsrepr, kwargs=task.kwargsrepr,
                    root_id=task.root_id, parent_id=task.parent_id, retries=task.retries,
                    eta=iso(task.eta) if task.eta else None,
                    expires=iso(task.expires) if task.expires else None)
        if task.eta and task.eta > SIM.t:
            self.at(task.eta + self.rng.uniform(0.0, 0.01), self.eta_due, w, task)
        else:
            w.reserved.append(task)
            self.pump(w)

    def eta_due(self, w, task):
        if not w.alive:  # the worker went away: the message is redelivered
            self.dispatch(task)
            return
        w.reserved.appendleft(task)
        self.pump(w)

    def pump(self, w):
        while w.reserved and len(w.active) < CONCURRENCY:
            task = w.reserved.popleft()
            w.active.add(task.id)
            task.slot_taken = True
            self.at(SIM.t + self.rng.uniform(0.0005, 0.008), self.start, w, task)

    def free_slot(self, w, task):
        w.active.discard(task.id)
        w.processed += 1
        self.pump(w)
        w.maybe_stop()

    def start(self, w, task):
        rng = self.rng
        w.send_task('task-started', task)
        mu, sigma = task.kind.runtime
        runtime = rng.lognormvariate(mu, sigma)
        if task.fate == 'terminate':
            self.at(SIM.t + runtime * rng.uniform(0.2, 0.9), self.terminate, w, task)
        elif task.fate == 'retry' and task.retries < task.max_retries:
            self.at(SIM.t + runtime * rng.uniform(0.3, 1.0), self.retry, w, task)
        else:
            self.at(SIM.t + runtime, self.finish, w, task, runtime)

    def terminate(self, w, task):
        # revoke(terminate=True): Request.terminate → _announce_revoked('terminated', True, 15, False)
        w.send_task('task-revoked', task, terminated=True, signum=15, expired=False)
        self.free_slot(w, task)

    def retry(self, w, task):
        rng = self.rng
        kind = task.kind
        countdown = rng.choice([1, 2, 5, 10, 30])
        exc_type, msg = kind.retry
        exc_repr, tb = make_retry(rng, kind.name.rsplit('.', 1)[0], kind.name.rsplit('.', 1)[1],
                                  exc_type, msg, countdown)
        # the pool child re-publishes the task (same id, retries+1, eta, parent_id = itself) ...
        task.retries += 1
        task.eta = SIM.t + countdown
        task.parent_id = task.id
        self.publish_sent(w.child_dispatcher(), task)
        # ... another (or the same) worker receives it before the failed attempt's task-retried goes out
        self.dispatch(task, delay=rng.uniform(0.0005, 0.002))
        self.at(SIM.t + rng.uniform(0.004, 0.008), self.retried, w, task, exc_repr, tb)

    def retried(self, w, task, exc_repr, tb):
        w.send_task('task-retried', task, exception=exc_repr, traceback=tb)
        self.free_slot(w, task)

    def finish(self, w, task, runtime):
        rng = self.rng
        kind = task.kind
        if task.fate == 'reject':
            w.send_task('task-rejected', task, requeue=False)
        elif task.fate in ('fail', 'retry'):
            if task.fate == 'retry':
                exc_type, msg = kind.retry
                exc_repr = '%s(%r)' % (exc_type.rsplit('.', 1)[-1], msg)
                _, tb = make_failure(rng, kind.name.rsplit('.', 1)[0], kind.name.rsplit('.', 1)[1], exc_type, msg)
                if rng.random() < 0.6:  # most retried tasks eventually succeed
                    return self.succeed(w, task, runtime)
            else:
                exc_repr, tb = kind.failure(rng)
            w.send_task('task-failed', task, exception=exc_repr, traceback=tb)
        else:
            return self.succeed(w, task, runtime)
        self.free_slot(w, task)

    def succeed(self, w, task, runtime):
        rng = self.rng
        kind = task.kind
        child_name = CHAIN_CHILD.get(kind.name)
        if child_name and rng.random() < kind.chain_p:
            # chain/callback: the pool child publishes the next task while finishing this one
            child = self.new_task(KIND_BY_NAME[child_name], parent=task)
            if child.fate == 'expire':
                child.fate = 'succeed'
            self.publish_sent(w.child_dispatcher(), child)
            self.dispatch(child)
        result = kind.make_result(rng, task.args, task.kwargs)
        w.send_task('task-succeeded', task, result=saferepr(result, RESULTREPR_MAX), runtime=runtime)
        self.free_slot(w, task)

    # ---- cluster-level happenings
    def wakeup(self):
        # `celery events` started: control `heartbeat` broadcast → every worker answers with freq=5
        for w in self.workers:
            if w.alive:
                self.at(SIM.t + self.rng.uniform(0.002, 0.012), self.wakeup_reply, w)

    def wakeup_reply(self, w):
        if w.alive:
            w.gossip()
            w.disp.send('worker-heartbeat', freq=5, **SOFTWARE_INFO)
            self.note_worker_event(w.disp.clock.value)

    def run(self):
        rng = self.rng
        cfg = self.cfg
        for w in self.workers:
            self.at(T0 + rng.uniform(0.0, 3.0), w.online)
        start = T0 + 3.5
        self.at(start, self.client_publish, 0)
        duration = cfg['tasks'] / cfg['rate']
        # a few workers restart (warm shutdown, back after a few seconds) during the run
        restarts = max(1, len(self.workers) // 50)
        for w in rng.sample(self.workers, restarts):
            self.at(start + rng.uniform(0.2, 0.8) * duration, w.begin_shutdown, rng.uniform(3.0, 10.0))
        self.at(start + 0.4 * duration, self.wakeup)
        end = start + duration
        stoppers = rng.sample(self.workers, max(1, len(self.workers) // 10))
        for w in stoppers:
            self.at(end + 60.0 + rng.uniform(0, 2), w.begin_shutdown)
        hard_end = end + 62.0 + 5.0  # in-flight work (and eta retries up to 30 s) finishes, then recording stops
        heap = self.heap
        while heap:
            t, _, fn, args = heapq.heappop(heap)
            if t > hard_end:
                break
            SIM.t = t
            fn(*args)
        self.out.close()


def generator_sha256():
    """Hash of the generator's own code: bench/run.ts regenerates the streams when it changes."""
    import hashlib
    h = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ('gen_events.py', 'kombu_offline.py'):
        with open(os.path.join(here, name), 'rb') as f:
            h.update(f.read())
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--variant', choices=sorted(VARIANTS), required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--meta', help='write a JSON summary here')
    a = ap.parse_args()
    started = time.time()
    tmp = a.out + '.partial'
    g = Generator(a.variant, tmp)
    g.run()
    os.replace(tmp, a.out)
    summary = {
        'generator_version': GEN_VERSION, 'generator_sha256': generator_sha256(), 'variant': a.variant, **VARIANTS[a.variant],
        'messages': g.messages, 'events': g.events, 'distinct_tasks': len(g.task_ids),
        'types': dict(sorted(g.type_counts.items())),
        'task_multi_batch_sizes': {str(k): v for k, v in sorted(g.batch_sizes.items())},
        'bytes': os.path.getsize(a.out), 'simulated_seconds': round(SIM.t - T0, 1),
        'generated_in_s': round(time.time() - started, 1),
        'celery': __import__('celery').__version__, 'kombu': __import__('kombu').__version__,
    }
    if a.meta:
        with open(a.meta, 'w') as f:
            json.dump(summary, f, indent=1)
    print(json.dumps(summary))


if __name__ == '__main__':
    main()
