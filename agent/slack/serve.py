"""Running the Bolt app: Socket Mode (deployment: an outbound WebSocket, no public
endpoint) or HTTP mode (Slack POSTs signed requests to /slack/events; Starlette + uvicorn).
"""
from __future__ import annotations

from typing import Protocol

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

EVENTS_PATH = "/slack/events"


def http_app(bolt: App, path: str = EVENTS_PATH) -> Starlette:
    """Slash commands, events and interactivity all POST to `path`; Bolt checks each
    request's signature and timestamp before any listener runs."""
    async def events(request: Request) -> Response:
        body = await request.body()
        response = await run_in_threadpool(bolt.dispatch, to_bolt_request(request, body))
        return to_starlette_response(response)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(routes=[Route(path, events, methods=["POST"]),
                             Route("/healthz", healthz, methods=["GET"])])


def run_http(bolt: App, host: str, port: int) -> None:
    import uvicorn
    uvicorn.run(http_app(bolt), host=host, port=port, log_level="info")


def run_socket_mode(bolt: App, app_token: str) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    handler: _Blocking = SocketModeHandler(bolt, app_token)
    handler.start()


class _Blocking(Protocol):
    """slack_bolt's SocketModeHandler.start (unannotated there): connects, then blocks the
    calling thread until the process ends."""
    def start(self) -> None: ...
