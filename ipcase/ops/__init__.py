"""Operations (issue 15): readiness checks, Prometheus metrics, structured logs with a request id,
and the portable backup and restore of an instance.

A layer of its own just under the app's top modules (``main`` serves ``/ready``, ``cli`` the
``backup`` and ``restore`` commands): it never imports the job queue or the web wiring; ``web``
registers the queue's check and gauge here (:func:`ipcase.ops.readiness.register_check`,
:func:`ipcase.ops.metrics.register_gauge`)."""
