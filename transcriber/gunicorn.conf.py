"""Gunicorn settings: one synchronous worker with one thread, as the service is deployed.

Start from the repository root (or /app in the image) with
`gunicorn -c transcriber/gunicorn.conf.py 'transcriber:create_app()'`.
"""

import os

_host = os.environ.get("TRANSCRIBER_HOST", "127.0.0.1")
_port = os.environ.get("TRANSCRIBER_PORT") or os.environ.get("PORT") or "8001"

bind = f"{_host}:{_port}"
# One transcription at a time per instance: models are CPU bound and memory hungry.
workers = 1
# A second thread only answers "busy" (429 with Retry-After) while the first transcribes, so
# callers of a local service learn at once instead of waiting in the socket backlog. The image
# pins 1 x 1 on the command line: Cloud Run's concurrency 1 keeps extra requests away instead.
threads = int(os.environ.get("TRANSCRIBER_THREADS_HTTP", "2"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(float(os.environ.get("TRANSCRIBER_TIMEOUT_S", "1800")))
graceful_timeout = 30
# The app writes its own structured line per request; gunicorn's access log would duplicate it.
accesslog = None
errorlog = "-"
loglevel = "info"
