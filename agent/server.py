"""`k8s-skills agent serve`: the API under uvicorn, the Lease election beside it, and the
proactive watcher while this replica leads."""
from __future__ import annotations

import logging
import sys
import threading
from typing import TYPE_CHECKING

from agent.config import Settings

if TYPE_CHECKING:
    from agent.service import AgentService


def serve(settings: Settings) -> int:
    import uvicorn

    from agent.api import create_app
    from agent.service import AgentService

    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    service = AgentService(settings)
    service.start()
    stop = threading.Event()
    if settings.watcher:
        _start_leadership(service, stop)
    config = uvicorn.Config(create_app(service), host=settings.host, port=settings.port,
                            log_level="warning", access_log=False, timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    print(f"k8s-agent {settings.identity}: serving on http://{settings.host}:{settings.port} "
          f"(mode {settings.mode}, namespace {settings.namespace}"
          + (", scripted" if settings.scripted else "") + ")", file=sys.stderr, flush=True)
    try:
        server.run()
    finally:
        stop.set()
    return 0


def _start_leadership(service: AgentService, stop: threading.Event) -> None:
    from agent.leader import Leadership
    from agent.watcher import Watcher

    def lead() -> None:
        service.leading = True
        service.metrics.leader.set(1)
        watcher = Watcher(service, stop)
        service.watcher = watcher
        watcher.run()  # returns when leadership or the process ends

    def follow() -> None:
        service.leading = False
        service.metrics.leader.set(0)
        if service.watcher is not None:
            service.watcher.stop()

    Leadership(service.settings, on_lead=lead, on_lose=follow, stop=stop).start()
