"""Background work on the job queue (Huey): the queue (``queue``), the periodic tasks
(``periodic``) and the consumer (``worker``)."""
