"""Publish tasks with Celery's own apply_async and print their ids.

stdin:  JSON array of {"task", "args"?, "kwargs"?, "countdown"?, "taskId"?,
        "queue"?, "priority"?, "expires"?, "stamps"?}
        "stamps": {header: value} stamps the message (Celery 5.3+): the
        headers revoke_by_stamped_headers matches.
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
        if spec.get('stamps'):
            options['stamped_headers'] = list(spec['stamps'])
            options.update(spec['stamps'])
        task = app.tasks.get(spec['task']) or app.signature(spec['task'])
        result = task.apply_async(args=spec.get('args') or [],
                                  kwargs=spec.get('kwargs') or {}, **options)
        ids.append(result.id)
    json.dump(ids, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
