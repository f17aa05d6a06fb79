"""Gunicorn settings for `make serve` (override any with GUNICORN_CMD_ARGS).

Several worker processes need a cache they share: with REDIS_URL, 2 × cores + 1 sync
workers; without it (each process would keep its own local-memory cache, and one
process's invalidation would not reach the others) one process with threads.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
if os.environ.get("REDIS_URL"):
    workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
else:
    workers = 1
    threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Behind a proxy that terminates TLS and sets X-Forwarded-Proto (see README).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
timeout = 30
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
