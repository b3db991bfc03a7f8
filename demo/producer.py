"""Send a believable mix of demo tasks until killed (or --count N are sent).

/usr/bin/python3 demo/producer.py [--rate 3] [--count N]
Broker from CELERYTOP_BROKER (see celery_app.py).
"""
import argparse
import random
import signal
import sys
import time

from celery_app import (add, fail, resize_image, retrying, send_email,
                        sleep, slow_report)

USERS = ['ana', 'bo', 'chen', 'dana', 'eli', 'farah', 'gus', 'bounce-test']
SIZES = [(320, 240), (640, 480), (1280, 720), (1920, 1080), (3840, 2160)]
REPORTS = ['daily-sales', 'inventory', 'churn', 'ad-spend']


def one():
    """Publish one random task; returns its name."""
    kind = random.choices(
        ['add', 'email', 'resize', 'sleep', 'report', 'fail', 'retry'],
        weights=[30, 25, 20, 10, 5, 5, 5])[0]
    if kind == 'add':
        add.delay(random.randint(0, 999), random.randint(0, 999))
    elif kind == 'email':
        send_email.delay(f'{random.choice(USERS)}@example.com')
    elif kind == 'resize':
        resize_image.delay(*random.choice(SIZES))
    elif kind == 'sleep':
        sleep.delay(round(random.uniform(0.5, 4), 1))
    elif kind == 'report':
        slow_report.delay(random.choice(REPORTS), random.choice([2000, 5000, 20000]))
    elif kind == 'fail':
        fail.delay()
    else:
        retrying.delay()
    return kind


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--rate', type=float, default=3.0, help='tasks per second (average)')
    parser.add_argument('--count', type=int, default=0, help='stop after N tasks (0 = forever)')
    opts = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sent = 0
    try:
        while not opts.count or sent < opts.count:
            kind = one()
            sent += 1
            print(f'sent #{sent} {kind}', flush=True)
            time.sleep(random.expovariate(opts.rate))
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
