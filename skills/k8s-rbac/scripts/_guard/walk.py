"""Walk a parsed command line the way bash would run it, judging every simple command.

Nothing runs: the walker keeps what can be known (variables assigned on the line, the
working directory, what each command prints) and hands every simple command, with its
expanded argv, redirections and input, to the program judges (_guard.programs). Branches
and loops are followed both ways (a loop twice, with what its first pass assigned), so
whatever the line may run is judged. Work is bounded: too many commands or too deep a
nesting of `sh -c` / `eval` make the line `ask`.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace

from _guard.env import env_risk, secret_name, shell_var_risk
from _guard.expand import Expander, Unclear
from _guard.shell import (AndOr, Compound, HereDoc, Pipeline, Program, ShellParseError,
                          Simple, Word, parse)
from _guard.verdict import Verdict, opaque
from _guard.words import Text, Unknown, display, globbed, known, worst_kind

MAX_STEPS = 3000
ARITH_TOKEN = re.compile(r"[0-9][0-9A-Za-z#@_]*|[A-Za-z_][A-Za-z0-9_]*|[ \t\n]+|"
                         r"\*\*=?|<<=?|>>=?|&&|\|\||\+\+|--|[-+*/%<>=!&|^]=|"
                         r"[-+*/%<>=!&|^~?:(),]")
ASSIGN_OPS = {"=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^=", "**="}
INT = re.compile(r"-?[0-9]+")
DECLARATIONS = {"export", "declare", "typeset", "local", "readonly"}
ASSIGNMENT_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
MAX_STRING_DEPTH = 6


@dataclass
class Stdin:
    """What a command reads on standard input."""

    source: str = "none"          # none | pipe | file | heredoc | herestring
    kind: str = "int"             # kind of the data (see _guard.words); "int" = nothing
    text: str | None = None       # the text, when it is known (here-documents)
    path: str | None = None


@dataclass
class State:
    """The shell's state while walking: copied for subshells and pipeline members."""

    vars: dict = field(default_factory=dict)     # name -> str | None | Unknown
    positional: list | None = None              # fields of $1..., None at top level
    arg0: object = "bash"
    cwd: str | None = None
    exported: set = field(default_factory=set)
    dialect: str = "bash"
    aliases_defined: bool = False

    def copy(self) -> "State":
        return replace(self, vars=dict(self.vars), exported=set(self.exported),
                       positional=None if self.positional is None else list(self.positional))


@dataclass
class Call:
    """One simple command ready to be judged."""

    argv: list                    # fields
    env: dict                     # NAME -> str | Unknown for this command only
    stdin: Stdin
    state: State
    walker: "Walker"
    stdout_redirected: bool = False
    output: str = "data"          # kind of what it prints (set by the judge)
    output_text: str | None = None   # what it prints, when that is known

    @property
    def name(self) -> str:
        return known(self.argv[0]) or ""

    @property
    def ctx(self):
        return self.walker.ctx

    @property
    def paths(self):
        return self.walker.ctx.paths.at(self.state.cwd)

    @property
    def ctx_env(self) -> dict:
        return self.walker.ctx.env


class Walker:
    def __init__(self, ctx, judge):
        self.ctx = ctx                  # _guard.Context: policy, env, paths, records
        self.judge = judge              # judge(call) -> Verdict
        self.steps = 0
        self.string_depth = 0
        self.last_text = None           # what the last simple command printed, if known

    # -- entry points --
    def walk_text(self, text: str, state: State, dialect: str = "bash") -> str:
        """Parse and walk a command string (the line, `sh -c`, `eval`); its output kind."""
        if self.string_depth >= MAX_STRING_DEPTH:
            raise Unclear("commands nested inside command strings too deeply")
        program = parse(text, dialect, self.ctx.deadline)
        self.ctx.comments.extend(program.comments)
        self.string_depth += 1
        try:
            return self.program(program, state)
        finally:
            self.string_depth -= 1

    def step(self):
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise Unclear("the line is too long to judge")
        if self.ctx.deadline is not None and time.process_time() > self.ctx.deadline:
            raise Unclear("the line takes too long to judge")

    # -- lists --
    def program(self, program: Program, state: State) -> str:
        outputs = []
        for index, (node, terminator) in enumerate(program.items):
            if state.aliases_defined and any(t == "\n" for _, t in program.items[:index]):
                self.record("alias", opaque("an alias defined on an earlier line changes "
                                            "what later lines run"))
            target = state.copy() if terminator == "&" else state
            outputs.append(self.and_or(node, target))
        return worst_kind(outputs) if outputs else "int"

    def and_or(self, node: AndOr, state: State) -> str:
        outputs = []
        for index, (_, pipeline) in enumerate(node.pipelines):
            if index == 0:
                outputs.append(self.pipeline(pipeline, state))
            else:  # may or may not run: judge it, keep both outcomes of its assignments
                branch = state.copy()
                outputs.append(self.pipeline(pipeline, branch))
                merge_into(state, branch)
        return worst_kind(outputs)

    def pipeline(self, node: Pipeline, state: State) -> str:
        if len(node.commands) == 1:
            return self.command(node.commands[0], state, Stdin())
        stdin = Stdin()
        output = "int"
        for command in node.commands:
            self.last_text = None
            output = self.command(command, state.copy(), stdin)
            stdin = Stdin("pipe", output, self.last_text)
        return output

    def command(self, node, state: State, stdin: Stdin) -> str:
        self.step()
        if isinstance(node, Simple):
            return self.simple(node, state, stdin)
        return self.compound(node, state, stdin)

    # -- compound commands --
    def compound(self, node: Compound, state: State, stdin: Stdin) -> str:
        stdin = self.compound_redirections(node, state, stdin)
        kind = node.kind
        if kind in ("group",):
            return self.program(node.body, state)
        if kind == "subshell":
            return self.program(node.body, state.copy())
        if kind == "if":
            return self.if_command(node, state)
        if kind in ("while", "until"):
            return self.loop(state, [node.parts[0], node.body])
        if kind == "for":
            return self.for_loop(node, state)
        if kind == "arith_for":
            self.arithmetic(node.parts[0], state)
            return self.loop(state, [node.body])
        if kind == "case":
            return self.case_command(node, state)
        if kind == "arith":
            self.arithmetic(node.parts[0], state)
            self.record("((...))", Verdict(reasons=["arithmetic only computes numbers"]))
            return "int"
        if kind == "cond":
            self.conditional(node.parts, state)
            return "int"
        reasons = {"function": f"defines the shell function {node.name!r}: calls to it are "
                               "not followed", "coproc": "starts a coprocess",
                   "select": "an interactive select menu"}
        self.record(kind, opaque(reasons.get(kind, f"shell construct {kind}")))
        return "data"

    def compound_redirections(self, node: Compound, state: State, stdin: Stdin) -> Stdin:
        verdict = Verdict()
        try:
            stdin, _ = self.redirections(node.redirs, state, verdict, stdin)
        except Unclear as err:
            verdict.unknown(str(err))
        if node.redirs:
            self.record(f"{node.kind} redirections", verdict)
        return stdin

    def if_command(self, node: Compound, state: State) -> str:
        outputs = []
        branches = []
        for cond, body in node.parts:
            outputs.append(self.program(cond, state))
            branch = state.copy()
            outputs.append(self.program(body, branch))
            branches.append(branch)
        if node.body is not None:
            branch = state.copy()
            outputs.append(self.program(node.body, branch))
            branches.append(branch)
        for branch in branches:
            merge_into(state, branch)
        return worst_kind(outputs)

    def loop(self, state: State, programs: list) -> str:
        """Twice: the second pass sees what the first one assigned (later iterations)."""
        outputs = []
        for _ in range(2):
            before = state.copy()
            for prog in programs:
                outputs.append(self.program(prog, state))
            merge_into(state, before)
        return worst_kind(outputs)

    def for_loop(self, node: Compound, state: State) -> str:
        words = node.parts[0]
        fields = None
        if words is not None:
            fields = []
            for word in words:
                fields.extend(self.expander(state).fields(word))
        verdict = Verdict()
        if fields is not None and len(fields) <= 16 and all(known(f) is not None
                                                            for f in fields):
            entry = state.copy()        # each value in turn, as bash runs them
            outputs = []
            for f in fields:
                self.assign_var(node.name, known(f), state, verdict)
                outputs.append(self.program(node.body, state))
            merge_into(state, entry)
            self._record_assignment(node.name, verdict)
            return worst_kind(outputs) if outputs else "int"
        value = Unknown("env") if fields is None else _field_union(fields)
        self.assign_var(node.name, value, state, verdict)
        self._record_assignment(node.name, verdict)
        return self.loop(state, [node.body])

    def _record_assignment(self, name: str, verdict: Verdict):
        if verdict.floor != "allow":
            self.record(f"for {name} in ...", verdict)

    def case_command(self, node: Compound, state: State) -> str:
        subject, items = node.parts
        self.expander(state).single(subject)
        outputs = []
        for patterns, body, _ in items:
            for pattern in patterns:
                self.expander(state).single(pattern)
            branch = state.copy()
            outputs.append(self.program(body, branch))
            merge_into(state, branch)
        return worst_kind(outputs) if outputs else "int"

    def conditional(self, tokens: list, state: State):
        verdict = Verdict(reasons=["[[ ... ]] only tests"])
        try:
            values = []
            for token in tokens:
                values.append(token if isinstance(token, str) else
                              self.expander(state).single(token))
            for i, token in enumerate(values):
                if token in ("-eq", "-ne", "-lt", "-le", "-gt", "-ge"):
                    for side in (values[i - 1] if i else None,
                                 values[i + 1] if i + 1 < len(values) else None):
                        self.arith_operand(side)
                if isinstance(token, tuple) and known(token) == "-v":
                    raise Unclear("[[ -v NAME[...] ]] evaluates a subscript")
        except Unclear as err:
            verdict.unknown(str(err))
        self.record("[[ ... ]]", verdict)

    def arith_operand(self, value):
        if value is None or isinstance(value, str):
            return
        text = known(value)
        if text is not None and text.strip().lstrip("-").isdigit():
            return
        if text is None and all(isinstance(s, Text) or s.kind == "int" for s in value):
            return
        raise Unclear("[[ ... -eq ... ]] evaluates its operands as arithmetic (a value can "
                      "run commands)")

    # -- arithmetic --
    def arithmetic(self, expr: Word, state: State):
        """Arithmetic runs nothing only if every name in it holds a number."""
        parts = self.expander(state).segments(expr, in_quotes=True)
        for seg in parts:
            if isinstance(seg, Unknown) and seg.kind != "int":
                raise Unclear("arithmetic on a value known only at run time (a value like "
                              "a[$(cmd)] runs cmd)")
            if isinstance(seg, Text):
                self.arith_text(seg.text, state)

    def arith_text(self, text: str, state: State):
        tokens = arith_tokens(text)
        for i, token in enumerate(tokens):
            if not (token[0].isalpha() or token[0] == "_"):
                continue
            assigns = _arith_assigns(tokens, i)
            if assigns:
                risk = shell_var_risk(token)
                if risk:
                    raise Unclear(f"arithmetic assigns the shell variable {token}")
                state.vars[token] = Unknown("int")
                continue
            value = state.vars.get(token, Unknown("env"))
            if isinstance(value, Unknown):
                if value.kind != "int":
                    raise Unclear(f"arithmetic reads ${token}, whose value is known only at "
                                  "run time (a value like a[$(cmd)] runs cmd)")
            elif value is not None and not INT.fullmatch(value.strip()):
                raise Unclear(f"arithmetic evaluates ${token}={value[:40]!r} as an "
                              "expression")

    # -- simple commands --
    def simple(self, cmd: Simple, state: State, stdin: Stdin) -> str:
        verdict = Verdict()
        text = _source_text(cmd)
        if not cmd.words:
            return self.bare_command(cmd, state, stdin, verdict, text)
        try:
            expander = self.expander(state)
            assigns = [(a.name, expander.single(a.value, assignment=True), a.append)
                       for a in cmd.assigns]
            argv = []
            declaration = cmd.words[0].literal() in DECLARATIONS
            for word in cmd.words:
                if declaration and ASSIGNMENT_WORD.match(word.source):
                    argv.append(expander.single(word, assignment=True))
                else:
                    argv.extend(expander.fields(word))
            stdin, redirected = self.redirections(cmd.redirs, state, verdict, stdin)
        except Unclear as err:
            self.record(text, opaque(str(err)))
            return "data"
        if not argv:
            verdict.unknown("the command name expands to nothing at run time; the "
                            "first argument would run instead")
            self.record(text, verdict)
            return "data"
        env = {}
        program = known(argv[0]) or ""
        for name, value, _ in assigns:
            env[name] = _value(value)
            if not (name == "IFS" and program in ("read", "mapfile", "readarray")):
                self.check_env(name, value, verdict)   # `IFS= read -r line` is the idiom
        call = Call(argv, env, stdin, state, self, redirected)
        try:
            verdict.merge(self.judge(call))
        except Unclear as err:
            verdict.unknown(str(err))
        self.record(" ".join(display(f) for f in argv), verdict, call)
        self.last_text = None if redirected else call.output_text
        return "int" if redirected else call.output

    def bare_command(self, cmd: Simple, state: State, stdin: Stdin, verdict: Verdict,
                     text: str) -> str:
        """Assignments and/or redirections without a command (left to right, like bash)."""
        try:
            for assign in cmd.assigns:
                value = self.expander(state).single(assign.value, assignment=True)
                if assign.append:
                    value = _concat(state.vars.get(assign.name, Unknown("env")), value)
                self.assign_var(assign.name, value, state, verdict)
            stdin, _ = self.redirections(cmd.redirs, state, verdict, stdin)
        except Unclear as err:
            verdict.unknown(str(err))
        verdict.note("sets shell variables" if cmd.assigns else "redirections only")
        self.record(text, verdict)
        if stdin.source == "file" and not cmd.assigns:   # $(< file): the file's text
            return stdin.kind
        return "int"

    def assign_var(self, name: str, value, state: State, verdict: Verdict):
        risk = shell_var_risk(name)
        if risk:
            verdict.need(risk[0], f"sets {risk[1]}", risk[2])
        state.vars[name] = _value(value)

    def check_env(self, name: str, value, verdict: Verdict):
        risk = env_risk(name)
        if risk:
            verdict.need(risk[0], f"sets {risk[1]}", risk[2])

    # -- redirections --
    def redirections(self, redirs: list, state: State, verdict: Verdict, stdin: Stdin):
        redirected = False
        for redir in redirs:
            op, fd = redir.op, redir.fd
            if isinstance(redir.target, HereDoc):
                stdin = self.heredoc(redir.target, state) if fd in (None, 0) else stdin
                continue
            target = self.expander(state).single(redir.target)
            if op == "<<<":
                body = known(target)
                stdin = Stdin("herestring", _kind_of(target),
                              None if body is None else body + "\n")
                continue
            if op in (">&", "<&") and _fd_word(known(target)):
                continue
            path = known(target)
            if path is None or globbed(target):
                verdict.unknown(f"redirects to a file named at run time ({display(target)})")
                continue
            paths = self.ctx.paths.at(state.cwd)
            if op == "<" or op == "<>":
                stdin = self.read_redirect(paths, path, verdict) if fd in (None, 0) else stdin
                if op == "<":
                    continue
            self.write_redirect(paths, path, verdict)
            if fd in (None, 1) or op in ("&>", "&>>") or (op == ">&" and fd is None):
                redirected = redirected or path not in ("/dev/stderr",)
        return stdin, redirected

    def heredoc(self, doc: HereDoc, state: State) -> Stdin:
        segments = self.expander(state).segments(doc.body, in_quotes=True)
        field = tuple(segments)
        text = known(field)
        return Stdin("heredoc", _kind_of(field), text)

    def read_redirect(self, paths, path: str, verdict: Verdict) -> Stdin:
        risk = paths.read_risk(path)
        if risk:
            verdict.need("ask", risk[1], "secret_data")
            return Stdin("file", "secret", None, path)
        return Stdin("file", "data", None, path)

    def write_redirect(self, paths, path: str, verdict: Verdict):
        risk = paths.write_risk(path)
        if risk:
            verdict.raise_to("write", risk[1], "local_write")
            verdict.need(risk[0], risk[1], "local_write")
        else:
            verdict.note(f"writes {path}")

    # -- helpers for judges --
    def expander(self, state: State) -> Expander:
        return Expander(_ShellView(self, state))

    def substitute(self, program: Program, state: State) -> str:
        return self.program(program, state.copy())

    def record(self, text: str, verdict: Verdict, call: Call | None = None):
        self.ctx.record(text, verdict, call)


class _ShellView:
    """What the expander may ask of the shell while expanding one command's words."""

    def __init__(self, walker: Walker, state: State):
        self.walker = walker
        self.state = state
        self.home = walker.ctx.home
        self.cwd = state.cwd

    def lookup(self, name: str):
        state = self.state
        if name in state.vars:
            return state.vars[name]
        if name.isdigit():
            if name == "0":
                return state.arg0
            if state.positional is None:
                return Unknown("env")
            index = int(name) - 1
            if index >= len(state.positional):
                return None
            return _value(state.positional[index])
        if name in ("@", "*"):
            if state.positional is None:
                return Unknown("env")
            return _field_union(state.positional) if state.positional else None
        if name in ("?", "#", "$", "!"):
            return Unknown("int")
        if name == "-":
            return "hB"
        env = self.walker.ctx.env
        if name in ("HOME", "PWD", "USER", "LOGNAME", "SHELL") and name in env:
            return env[name] if name != "PWD" else (state.cwd or env[name])
        if secret_name(name):
            return Unknown("secret")
        return Unknown("env")

    def tick(self):
        """A huge word checks the clock as it expands."""
        deadline = self.walker.ctx.deadline
        if deadline is not None and time.process_time() > deadline:
            raise Unclear("the line takes too long to judge")

    def positional_fields(self):
        positional = self.state.positional
        if positional is None:
            return None
        return [f if isinstance(f, tuple) else (Text(str(f)),) for f in positional]

    def assign(self, name: str, value):
        verdict = Verdict()
        self.walker.assign_var(name, value, self.state, verdict)
        if verdict.floor != "allow":
            raise Unclear(verdict.key_reason or f"assigns {name}")

    def substitute(self, program: Program) -> str:
        return self.walker.substitute(program, self.state)

    def arithmetic(self, expr: Word):
        self.walker.arithmetic(expr, self.state)


def arith_tokens(text: str) -> list:
    """Tokens of an arithmetic expression (blanks dropped); Unclear on anything else."""
    tokens, pos = [], 0
    while pos < len(text):
        match = ARITH_TOKEN.match(text, pos)
        if not match:
            raise Unclear(f"arithmetic with {text[pos]!r} (array subscripts and other "
                          "syntax are not read)")
        if not match.group(0).isspace():
            tokens.append(match.group(0))
        pos = match.end()
    return tokens


def _arith_assigns(tokens: list, i: int) -> bool:
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    before = tokens[i - 1] if i else ""
    return after in ASSIGN_OPS or after in ("++", "--") or before in ("++", "--")


def merge_into(state: State, other: State):
    """After a branch that may or may not have run: variables hold either value."""
    for name in set(state.vars) | set(other.vars):
        mine = state.vars.get(name, Unknown("env"))
        theirs = other.vars.get(name, Unknown("env"))
        if mine != theirs:
            state.vars[name] = Unknown(worst_kind([_kind(mine), _kind(theirs)]))
    state.exported |= other.exported
    state.aliases_defined = state.aliases_defined or other.aliases_defined
    if state.cwd != other.cwd:
        state.cwd = None


def _kind(value) -> str:
    if isinstance(value, Unknown):
        return value.kind
    return "name" if value is None or safe_token(value) else "data"


def safe_token(text: str) -> bool:
    """Text that stays one argument and cannot be an option or a glob."""
    return bool(text) and not text.startswith("-") and not any(
        c in " \t\n*?[" for c in text)


def _value(field_or_value):
    """A variable's value from an expanded field: the string, or an Unknown."""
    if isinstance(field_or_value, (str, Unknown)) or field_or_value is None:
        return field_or_value
    text = known(field_or_value)
    return text if text is not None else Unknown(_kind_of(field_or_value))


def _kind_of(field: tuple) -> str:
    kinds = [s.kind for s in field if isinstance(s, Unknown)]
    return worst_kind(kinds) if kinds else "data"


def _field_union(fields: list):
    """One value standing for any of several fields (a loop variable)."""
    texts = [known(f) for f in fields]
    if fields and all(t is not None for t in texts) and len(set(texts)) == 1:
        return texts[0]
    kinds = []
    for f, text in zip(fields, texts):
        if text is not None:
            kinds.append("name" if safe_token(text) else "data")
        else:
            kinds.extend(s.kind for s in f if isinstance(s, Unknown))
            if any(isinstance(s, Text) and not safe_token(s.text) and s.text for s in f):
                kinds.append("data")
    return Unknown(worst_kind(kinds) if kinds else "data")


def _concat(old, new):
    new_value = _value(new)
    if isinstance(old, str) and isinstance(new_value, str):
        return old + new_value
    return Unknown(worst_kind([_kind(old), _kind(new_value)]))


def _fd_word(text: str | None) -> bool:
    """`2>&1`, `>&-`, `<&3-`: a descriptor, not a file."""
    if text is None:
        return False
    return text == "-" or text.isdigit() or (text.endswith("-") and text[:-1].isdigit())


def _source_text(cmd: Simple) -> str:
    words = [w.source for w in cmd.words]
    assigns = [f"{a.name}={a.value.source}" for a in cmd.assigns]
    return " ".join(assigns + words)[:300] or "(redirection)"


__all__ = ["Call", "State", "Stdin", "Walker", "ShellParseError", "Unclear"]
