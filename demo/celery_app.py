"""Celery app for the celerytop demo cluster and the real-component tests.

Run with Debian's Celery: /usr/bin/python3 -m celery -A celery_app worker -E
Environment:
  CELERYTOP_BROKER       broker URL, also used as the result backend
  CELERYTOP_TASK_EVENTS  "0" turns worker task events off (default on; -E
                         cannot turn them off because the config sets them)
  CELERYTOP_RESULT_EXTENDED  "1" sets result_extended (name, args, worker… in
                         each result)
  CELERYTOP_KEYPREFIX    a kombu global_keyprefix for the broker and the
                         result backend (which honours it from Celery 5.3 on)
"""
import os
import random
import time
import uuid

from celery import Celery
from celery.exceptions import Reject

BROKER = os.environ.get('CELERYTOP_BROKER', 'redis://127.0.0.1:6379/0')
TASK_EVENTS = os.environ.get('CELERYTOP_TASK_EVENTS', '1') != '0'

app = Celery('demo', broker=BROKER, backend=BROKER)
app.conf.update(
    worker_send_task_events=TASK_EVENTS,
    task_send_sent_event=True,
    task_serializer='json',
    result_serializer='json',
    accept_content=['json'],
    timezone='UTC',
    enable_utc=True,
    result_expires=3600,
    result_extended=os.environ.get('CELERYTOP_RESULT_EXTENDED') == '1',
)
if os.environ.get('CELERYTOP_KEYPREFIX'):
    _prefix = {'global_keyprefix': os.environ['CELERYTOP_KEYPREFIX']}
    app.conf.broker_transport_options = _prefix
    app.conf.result_backend_transport_options = _prefix


@app.task(name='demo.add')
def add(x, y):
    return x + y


@app.task(name='demo.sleep')
def sleep(n):
    time.sleep(n)
    return n


@app.task(name='demo.fail')
def fail():
    raise ValueError('boom')


@app.task(name='demo.retrying', bind=True, max_retries=2)
def retrying(self):
    # Retries twice (1 s apart), then fails with the RuntimeError.
    raise self.retry(exc=RuntimeError('upstream not ready'), countdown=1)


@app.task(name='demo.slow_report')
def slow_report(report='daily-sales', rows=5000):
    started = time.time()
    done = 0
    while done < rows:
        time.sleep(0.25)
        done += max(1, rows // 12)
    return {'report': report, 'rows': rows,
            'seconds': round(time.time() - started, 2)}


@app.task(name='demo.resize_image')
def resize_image(width, height, fmt='webp'):
    if width <= 0 or height <= 0:
        raise ValueError(f'invalid size {width}x{height}')
    time.sleep(min(2.0, width * height / 4_000_000))
    return {'path': f'/media/thumbs/{uuid.uuid4().hex[:12]}.{fmt}',
            'width': width, 'height': height,
            'bytes': int(width * height * random.uniform(0.08, 0.2))}


@app.task(name='demo.send_email')
def send_email(to, subject='Your weekly digest'):
    time.sleep(random.uniform(0.05, 0.4))
    # 'bounce' addresses always fail; others fail now and then.
    if 'bounce' in to or random.random() < 0.15:
        raise ConnectionError(f'SMTP 451 temporary failure for {to}')
    return {'to': to, 'subject': subject,
            'message_id': f'<{uuid.uuid4().hex}@mail.example.com>'}


@app.task(name='demo.echo')
def echo(value, **kwargs):
    # Returns its argument: the hostile-terminal test sends escape sequences through it.
    return value


@app.task(name='demo.explode')
def explode(message):
    # Fails with the given message, raw in the traceback (args and results are repr'd by Celery).
    raise RuntimeError(message)


@app.task(name='demo.reject', acks_late=True)
def reject(reason='not for this worker'):
    # Refuses the message after it started (acks_late: the worker still holds it): the worker sends
    # task-rejected after task-started and drops it (requeue=False).
    raise Reject(reason, requeue=False)
