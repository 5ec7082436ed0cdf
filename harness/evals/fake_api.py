"""A local fake Anthropic Messages API that plays scripted turns (no API key needed).

Both Claude backends run their real code paths against it: the anthropic SDK (messages
backend) and the Claude Code CLI (claude-code backend, via ANTHROPIC_BASE_URL). Turn
selection is stateless: the number of assistant messages already in a request's
`messages` picks the turn, so retries and parallel clients cannot desynchronise it.

A script is a list of steps, each one model turn:
  {bash: "kubectl get pods -n $NS"}   a tool call to the shell tool offered (Bash or bash)
  {skill: "k8s-kueue"}                 load a skill (Skill tool, or the harness's load_skill);
                                       dropped when no skill tool is offered (skills off)
  {tool: "propose_change", input: {...}}  a call to another offered tool: the exact name,
                                       or the one offered name ending in `__<tool>` (MCP tools)
  {say: "final answer"}                text and end_turn
  {say: "...", stop: max_tokens}       text ending with another stop reason (max_tokens,
                                       refusal, pause_turn, model_context_window_exceeded)
  {error: 429, retry_after: 2}         an HTTP error instead of a message, `times` (default
                                       1) times for that turn; then the turn goes on
  {read: "path"}                       a Read tool call (Claude Code's file tool)
Any step may carry `text:` said before its tool call and `usage:` to override the token
counts. After the last step the model ends with the last `say` (or "Done."). Usage is
computed from the request: a request that marks cache_control reports the conversation
before its last message as a cache read and that message as a cache write, as the API
does for a growing conversation. A request offering a `submit_grade` tool (the judge) is
answered with `judge:` from the script (default: pass). Every request is recorded in
`requests`. `latency` (seconds) delays every /v1/messages answer, as a model's generation
takes time (requests are served concurrently, each waits its own).
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from harness import yamlio

SHELL_TOOLS = ("Bash", "bash")
SKILL_TOOLS = {"Skill": "skill", "load_skill": "name"}
JUDGE_TOOL = "submit_grade"
OTHER_STOPS = ("max_tokens", "refusal", "pause_turn", "model_context_window_exceeded")


def load_script(path: Path) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = load_scripted(path)["steps"]
    return steps


def load_scripted(path: Path) -> dict[str, Any]:
    """{steps, judge}: a list of steps, or a mapping with `steps` and an optional `judge`
    verdict ({verdict: pass|fail, score, reasoning}) the fake judge returns."""
    data = yamlio.load(Path(path).read_text(encoding="utf-8"))
    steps = data.get("steps") if isinstance(data, dict) else data
    if not isinstance(steps, list) or not steps:
        raise ValueError(f"{path}: a script is a list of steps (or {{steps: [...]}})")
    judge = data.get("judge") if isinstance(data, dict) else None
    return {"steps": steps, "judge": judge}


class FakeAnthropicAPI:
    def __init__(self, steps: list[dict[str, Any]], judge: dict[str, Any] | None = None,
                 triggers: dict[str, str] | None = None, latency: float = 0.0) -> None:
        self.steps = steps
        self.latency = latency
        self.judge = judge or {"verdict": "pass", "score": 1.0,
                               "reasoning": "scripted judge verdict"}
        self.triggers = triggers or {}   # prompt substring -> skill to load (trigger evals)
        self.requests: list[dict[str, Any]] = []
        self._errors_sent: dict[int, int] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle -----------------------------------------------------------------------
    def start(self) -> str:
        handler = _handler_for(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake API is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeAnthropicAPI:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- behaviour -----------------------------------------------------------------------
    def main_requests(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests if _shell_tool(r.get("body") or {})]

    def respond(self, body: dict[str, Any]) -> dict[str, Any]:
        """The assistant message for a request body (a plain dict, API shaped)."""
        if JUDGE_TOOL in _tool_names(body):
            call = {"type": "tool_use", "id": "toolu_scripted_judge", "name": JUDGE_TOOL,
                    "input": dict(self.judge)}
            return _message(body, [call], "tool_use")
        shell = _shell_tool(body)
        if not shell:
            return _message(body, [{"type": "text", "text": _side_answer(body)}], "end_turn")
        steps = self._steps_for(body)
        turn = sum(1 for m in body.get("messages", []) if m.get("role") == "assistant")
        step: dict[str, Any] = steps[turn] if turn < len(steps) else \
            {"say": _last_say(self.steps)}
        if "say" in step:
            return _message(body, [{"type": "text", "text": step["say"]}],
                            step.get("stop", "end_turn"), step.get("usage"))
        return _message(body, _tool_turn(step, turn, shell, body), "tool_use",
                        step.get("usage"))

    def error_for(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """The scripted HTTP error for this request's turn, while it has times left."""
        if not _shell_tool(body) or JUDGE_TOOL in _tool_names(body):
            return None
        steps = self._steps_for(body)
        turn = sum(1 for m in body.get("messages", []) if m.get("role") == "assistant")
        step = steps[turn] if turn < len(steps) else {}
        if "error" not in step:
            return None
        with self._lock:
            sent = self._errors_sent.get(turn, 0)
            if sent >= int(step.get("times", 1)):
                return None
            self._errors_sent[turn] = sent + 1
        return step

    def _steps_for(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        """The script as this client sees it: a skill step only when a skill tool is offered
        and the skill is listed (in `system`, the first message or a role "system" entry of
        `messages`, where Claude Code puts it: the same on every turn of a session). With
        `triggers`, the first user message picks the skill to load (trigger evals)."""
        steps = self._trigger_steps(body) if self.triggers else self.steps
        if not any(name in _tool_names(body) for name in SKILL_TOOLS):
            return [s for s in steps if "skill" not in s]
        messages = body.get("messages", [])
        listing = json.dumps([body.get("system"), messages[:1],
                              [m for m in messages if m.get("role") == "system"]])
        return [s for s in steps if "skill" not in s or s["skill"] in listing]

    def _trigger_steps(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        first: dict[str, Any] = next(
            (m for m in body.get("messages", []) if m.get("role") == "user"), {})
        text = json.dumps(first.get("content", ""))
        skill = next((name for key, name in self.triggers.items()
                      if key.lower() in text.lower()), None)
        return ([{"skill": skill}] if skill else []) + [{"say": "Done."}]


def _tool_names(body: dict[str, Any]) -> set[str]:
    return {t.get("name") for t in body.get("tools") or []}


def _shell_tool(body: dict[str, Any]) -> str | None:
    offered = _tool_names(body)
    return next((name for name in SHELL_TOOLS if name in offered), None)


def _last_say(steps: list[dict[str, Any]]) -> str:
    return next((s["say"] for s in reversed(steps) if "say" in s), "Done.")


def _tool_turn(step: dict[str, Any], turn: int, shell: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = [{"type": "text", "text": step["text"]}] if step.get("text") else []
    if "skill" in step:
        tool = next(name for name in SKILL_TOOLS if name in _tool_names(body))
        call = {"name": tool, "input": {SKILL_TOOLS[tool]: step["skill"]}}
    elif "tool" in step:
        call = {"name": _offered_tool(step["tool"], body), "input": step.get("input") or {}}
    elif "read" in step:
        call = {"name": "Read", "input": {"file_path": step["read"]}}
    else:
        command = step["bash"]
        args = {"command": command}
        if shell == "Bash":
            args["description"] = step.get("description", "Run a command")
        call = {"name": shell, "input": args}
    blocks.append({"type": "tool_use", "id": f"toolu_scripted_{turn:03d}", **call})
    return blocks


def _offered_tool(name: str, body: dict[str, Any]) -> str:
    """`propose_change` -> `mcp__agent__propose_change` when only that one is offered."""
    offered = _tool_names(body)
    if name in offered:
        return name
    matches = sorted(n for n in offered if n and n.endswith(f"__{name}"))
    return matches[0] if len(matches) == 1 else name


def _side_answer(body: dict[str, Any]) -> str:
    """Side requests (titles, summaries): JSON when a format is asked for, else short text."""
    fmt = (body.get("output_config") or {}).get("format") or {}
    schema = fmt.get("schema") or fmt.get("json_schema", {}).get("schema")
    if schema:
        props = schema.get("properties", {})
        return json.dumps({k: _sample(v) for k, v in props.items()})
    return "Scripted run"


def _sample(prop: dict[str, Any]) -> Any:
    samples: dict[str, Any] = {"boolean": False, "integer": 0, "number": 0, "array": [],
                               "object": {}}
    return samples.get(str(prop.get("type")), "Scripted run")


def _message(body: dict[str, Any], content: list[dict[str, Any]], stop: str, usage: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"id": f"msg_scripted_{len(body.get('messages', [])):03d}", "type": "message",
            "role": "assistant", "model": body.get("model", "scripted"), "content": content,
            "stop_reason": stop, "stop_sequence": None,
            "usage": {**_usage(body, content), **(usage or {})}}


def _usage(body: dict[str, Any], content: list[dict[str, Any]]) -> dict[str, Any]:
    """About four characters a token; with cache_control, all but the last message is read
    from the cache and the last one written to it."""
    messages = body.get("messages", [])
    prompt = max(1, len(json.dumps([body.get("system"), body.get("tools"), messages])) // 4)
    out = {"input_tokens": prompt, "output_tokens": max(1, len(json.dumps(content)) // 4),
           "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
    if body.get("cache_control") or "cache_control" in json.dumps([body.get("system"),
                                                                    messages]):
        last = max(1, len(json.dumps(messages[-1:])) // 4)
        out.update(input_tokens=min(prompt, 8), cache_creation_input_tokens=last,
                   cache_read_input_tokens=max(0, prompt - last - 8))
    return out


def sse_events(message: dict[str, Any]) -> str:
    """The streaming form of a message, in the order the real API sends it."""
    start = {**message, "content": [], "stop_reason": None,
             "usage": {**message["usage"], "output_tokens": 1}}
    events: list[tuple[str, dict[str, Any]]] = [
        ("message_start", {"type": "message_start", "message": start})]
    for i, block in enumerate(message["content"]):
        empty: dict[str, Any]
        delta: dict[str, Any]
        if block["type"] == "text":
            empty, delta = {"type": "text", "text": ""}, {"type": "text_delta",
                                                         "text": block["text"]}
        else:
            empty = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        events += [("content_block_start", {"type": "content_block_start", "index": i,
                                            "content_block": empty}),
                   ("content_block_delta", {"type": "content_block_delta", "index": i,
                                            "delta": delta}),
                   ("content_block_stop", {"type": "content_block_stop", "index": i})]
    events += [("message_delta", {"type": "message_delta",
                                  "delta": {"stop_reason": message["stop_reason"],
                                            "stop_sequence": None},
                                  "usage": {"output_tokens": message["usage"]["output_tokens"]}}),
               ("message_stop", {"type": "message_stop"})]
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)


def _handler_for(api: FakeAnthropicAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet: requests are recorded instead
            pass

        def _body(self) -> dict[str, Any]:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                return {}
            return body if isinstance(body, dict) else {}

        def _send(self, code: int, payload: bytes, ctype: str) -> None:
            self.send_response(code)
            self.send_header("content-type", ctype)
            self.send_header("content-length", str(len(payload)))
            self.send_header("request-id", "req_scripted")
            self.end_headers()
            self.wfile.write(payload)

        def _error(self, step: dict[str, Any]) -> None:
            code = int(step["error"])
            kind = {429: "rate_limit_error", 529: "overloaded_error", 400: "invalid_request_error",
                    401: "authentication_error"}.get(code, "api_error")
            payload = json.dumps({"type": "error", "error": {
                "type": kind, "message": step.get("message", f"scripted {code}")}}).encode()
            self.send_response(code)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            if "retry_after" in step:
                self.send_header("retry-after", str(step["retry_after"]))
            self.end_headers()
            self.wfile.write(payload)

        def do_HEAD(self) -> None:
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            self._send(200, b"{}", "application/json")

        def do_POST(self) -> None:
            body = self._body()
            path = self.path.split("?")[0]
            with api._lock:
                api.requests.append({"path": self.path, "body": body,
                                     "headers": {k.lower(): v for k, v in self.headers.items()
                                                 if k.lower().startswith("anthropic")}})
            if path.endswith("/v1/messages/count_tokens"):
                tokens = max(1, len(json.dumps(body)) // 4)
                return self._send(200, json.dumps({"input_tokens": tokens}).encode(),
                                  "application/json")
            if not path.endswith("/v1/messages"):
                return self._send(200, b"{}", "application/json")
            if api.latency:
                time.sleep(api.latency)
            error = api.error_for(body)
            if error:
                return self._error(error)
            message = api.respond(body)
            if body.get("stream"):
                return self._send(200, sse_events(message).encode(), "text/event-stream")
            return self._send(200, json.dumps(message).encode(), "application/json")
    return Handler
