"""Publish tasks with Celery's own apply_async and print their ids.

stdin:  JSON array of {"task", "args"?, "kwargs"?, "countdown"?, "taskId"?,
        "queue"?, "priority"?, "expires"?}
stdout: JSON array of task ids, in the same order.
Broker from CELERYTOP_BROKER (see celery_app.py).
"""
import json
import sys

from celery_app import app


def main():
    specs = json.load(sys.stdin)
    ids = []
    for spec in specs:
        options = {'countdown': spec.get('countdown'),
                   'task_id': spec.get('taskId'),
                   'queue': spec.get('queue'),
                   'priority': spec.get('priority'),
                   'expires': spec.get('expires')}
        options = {k: v for k, v in options.items() if v is not None}
        task = app.tasks.get(spec['task']) or app.signature(spec['task'])
        result = task.apply_async(args=spec.get('args') or [],
                                  kwargs=spec.get('kwargs') or {}, **options)
        ids.append(result.id)
    json.dump(ids, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
