"""The guard's shell reader against real shells, on random lines and on hostile ones.

Ground truth is bash (and dash for `sh -c`): for a random line of quoted, escaped,
ANSI-C and parameter words, the argv the guard computes must be exactly what bash hands to
printf. And every input at all - any text, any length - gets a decision, quickly.
"""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import _guard
from _guard import programs
from _guard.expand import Unclear
from _guard.policy import sre_parse
from _guard.shell import ShellParseError
from _guard.walk import State, Walker
from _guard.words import known

GUARD = Path(_guard.__file__).resolve().parent     # the package folder, scripts/_guard/
BASH = shutil.which("bash")
DASH = shutil.which("dash")
SETTINGS = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

# --- random words ---------------------------------------------------------------------
PLAIN = st.text(alphabet="abcXYZ019_-./,:=@%+", min_size=1, max_size=6)
SQUOTED = st.text(alphabet=st.characters(codec="ascii", categories=["L", "N", "P", "S", "Zs"],
                                         exclude_characters="'"), max_size=8).map(
    lambda t: f"'{t}'")
DQUOTED = st.lists(st.one_of(
    st.text(alphabet="ab c*?[]{}~#;&|<>()'", min_size=1, max_size=4),
    st.sampled_from(['\\"', "\\\\", "\\$", "\\`", "\\a", "\\n", "$v", "${v}", "${u:-d e}",
                     "${#v}", "${v#a}", "${v%c}", "${v^^}", "$1", "$@"])), max_size=4).map(
    lambda parts: '"' + "".join(parts) + '"')
ESCAPED = st.sampled_from(list(" |&;()<>'\"$`*?[#~{}\\")).map(lambda c: "\\" + c)
ANSI = st.lists(st.one_of(
    st.text(alphabet="abc XY", min_size=1, max_size=3),
    st.sampled_from(["\\n", "\\t", "\\x41", "\\101", "\\'", "\\\\", "\\e", "\\u00e9",
                     "\\x4", "\\q", '\\"', "\\cA"])), max_size=4).map(
    lambda parts: "$'" + "".join(parts) + "'")
PARAM = st.sampled_from(["$v", "${v}", "$w", "${u:-x y}", "${v:+set}", "${u-unset}", "${#w}",
                         "${v// /_}", "${v:1:3}", "$1", "\"$@\"", "$*"])
PIECE = st.one_of(PLAIN, SQUOTED, DQUOTED, ESCAPED, ANSI, PARAM)
WORD = st.lists(PIECE, min_size=1, max_size=4).map("".join)
LINE = st.lists(WORD, min_size=1, max_size=5).map(" ".join)
PREFIX = "v='a b  c'; w=' lead trail '; unset u; set -- 'p 1' p2; "


def guard_argv(line: str, cwd: str) -> list | None:
    """The argv the guard computes for the last simple command of `line` (None: unclear)."""
    ctx = _guard.make_context(_guard.merge_policy(None), cwd, {"HOME": "/h"}, None)
    seen = []
    walker = Walker(ctx, lambda call: seen.append([known(f) for f in call.argv]) or
                    programs.judge(call))
    try:
        walker.walk_text(line, State(cwd=cwd))
    except (ShellParseError, Unclear):
        return None
    return seen[-1] if seen else None


def shell_argv(shell: str, line: str, cwd: str) -> list | None:
    proc = subprocess.run([shell, "-c", line], capture_output=True, timeout=20, cwd=cwd,
                          env={"PATH": "/usr/bin:/bin", "HOME": "/h", "LC_ALL": "C.UTF-8"})
    if proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8", "surrogateescape").split("\0")[:-1]


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
@SETTINGS
@given(LINE)
def test_words_expand_exactly_as_bash_expands_them(tmp_path_factory, words):
    cwd = str(tmp_path_factory.mktemp("empty"))
    line = PREFIX + "printf '%s\\0' " + words
    ours = guard_argv(line, cwd)
    if ours is None:
        return                                   # the guard asks: never wrong, only careful
    theirs = shell_argv(BASH, line, cwd)
    assert theirs is not None, line
    assert None not in ours, (line, ours)
    assert ours[:2] == ["printf", "%s\\0"] and ours[2:] == theirs, (line, ours, theirs)


@pytest.mark.skipif(DASH is None, reason="dash is not installed")
@SETTINGS
@given(st.lists(st.one_of(PLAIN, SQUOTED, DQUOTED, ESCAPED, PARAM), min_size=1,
                max_size=5).map(" ".join))
def test_sh_strings_are_read_as_dash_reads_them(tmp_path_factory, words):
    """`sh -c` on Debian is dash: the guard's posix reading must agree with it, or ask."""
    cwd = str(tmp_path_factory.mktemp("empty"))
    line = PREFIX.replace("set -- 'p 1' p2; ", "") + "printf '%s\\0' " + words
    ctx = _guard.make_context(_guard.merge_policy(None), cwd, {"HOME": "/h"}, None)
    seen = []
    walker = Walker(ctx, lambda call: seen.append([known(f) for f in call.argv]) or
                    programs.judge(call))
    try:
        walker.walk_text(line, State(cwd=cwd, dialect="posix"), dialect="posix")
    except (ShellParseError, Unclear):
        return
    theirs = shell_argv(DASH, line, cwd)
    if theirs is None or not seen or None in seen[-1]:
        return
    assert seen[-1][2:] == theirs, (line, seen[-1], theirs)


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
@pytest.mark.parametrize("line,expected", [
    ("cat <<'EOF'\n$(x)\nEOF", ["cat"]),
    ("true \\ #; echo hi", ["echo", "hi"]),
    ("printf '%s\\0' a\\ b 'c d' \"e $v\"", ["printf", "%s\\0", "a b", "c d", "e a b  c"]),
    ("printf '%s\\0' $w", ["printf", "%s\\0", "lead", "trail"]),
    ("printf '%s\\0' \"$@\"", ["printf", "%s\\0", "p 1", "p2"]),
    ("printf '%s\\0' $'k\\x75be\\0ctl'", ["printf", "%s\\0", "kube"]),
])
def test_known_tricky_lines(line, expected, tmp_path):
    assert guard_argv(PREFIX + line, str(tmp_path)) == expected
    if expected[0] == "printf":
        assert shell_argv(BASH, PREFIX + line, str(tmp_path)) == expected[2:]


# --- any input: a decision, fast -----------------------------------------------------

@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=400))
def test_any_text_gets_a_decision(text):
    start = time.process_time()
    verdict = _guard.check(text, cwd="/nonexistent")
    assert verdict["decision"] in ("allow", "ask", "deny")
    assert "guard_error" not in verdict["signals"], verdict["explanation"]
    assert time.process_time() - start < 2


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(
    ["kubectl", "get", "delete", "'", '"', "$(", ")", "`", "${", "}", "<<", "EOF", "\n", ";",
     "|", "&&", "-n", "--dry-run=server", "\\", "$((", "))", "#", "*", "{a,b}", "sh -c",
     "eval", "xargs", "x=", "$x", "<(", ">(", "[[", "]]", "((", "case", "esac", "for", "do",
     "done", "if", "then", "fi", "function", "()", "{", " "]), max_size=40).map("".join))
def test_shell_shaped_noise_gets_a_decision(text):
    verdict = _guard.check(text, cwd="/nonexistent")
    assert verdict["decision"] in ("allow", "ask", "deny")
    assert "guard_error" not in verdict["signals"], verdict["explanation"]


HOSTILE = [
    "#" + "a" * 60000,
    "kubectl get pods # " + "(((" * 5000,
    "echo " + "$(" * 2000 + ")" * 2000,
    "echo " + "`" * 5000,
    "echo " + "${x:-" * 3000 + "}" * 3000,
    "echo $((" + "(" * 3000 + "1" + ")" * 3000 + "))",
    " | ".join(["cat"] * 3000),
    "; ".join(["kubectl get pods"] * 2000),
    "x" * 65535,
    "x" * 70000,
    "cat <<EOF\n" + "line $(date)\n" * 3000 + "EOF",
    "cat <<'EOF'\n" + "a\n" * 20000 + "EOF",
    "bash -c " + "'bash -c \"" * 200,
    "eval " + "eval " * 3000 + "true",
    "a=" + "'b'" * 20000,
    "for i in " + "x " * 10000 + "; do kubectl get pods; done",
    "while :; do " * 500 + ":" + "; done" * 500,
    "{ " * 3000 + "true" + "; }" * 3000,
    "( " * 3000 + "true" + " )" * 3000,
    "kubectl get pods -o jsonpath='{" + "[" * 10000 + "}'",
    "kubectl apply -f - <<EOF\n" + "kind: ClusterRole\n" * 5000 + "EOF",
    "kubectl apply -f - <<EOF\n" + "- &a [*a, *a, *a, *a]\n" * 30 + "EOF",
    "awk '" + "\"" * 20000 + "'",
    "sed '" + "s/a/b/;" * 5000 + "'",
    "printf '%s' " + "$'\\x41'" * 5000,
    "echo " + "~" * 20000,
    "echo \x00 " * 100,
    "alias a=b\n" * 2000,
    "\n" * 60000,
    "$" * 50000,
]


@pytest.mark.parametrize("line", HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_lines_are_decided_quickly(line):
    start = time.process_time()
    verdict = _guard.check(line, cwd="/nonexistent")
    assert time.process_time() - start < 2.0, verdict["explanation"]
    assert verdict["decision"] in ("allow", "ask", "deny")
    assert "guard_error" not in verdict["signals"], verdict["explanation"]


# --- regular expressions: none can backtrack catastrophically -------------------------

def _regex_literals():
    for path in sorted(GUARD.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and \
                    node.args and isinstance(node.args[0], ast.Constant) and \
                    isinstance(node.args[0].value, str):
                yield f"{path.name}:{node.lineno}", node.args[0].value


def _nested(items, inside: bool) -> str | None:
    for op, arg in items:
        name = str(op)
        if name in ("GROUPREF", "GROUPREF_EXISTS"):
            return "backreference"
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            large = arg[1] > 16            # a few bounded copies cannot explode
            if inside and large:
                return "repeat inside a repeat"
            why = _nested(arg[2], inside or large)
            if why:
                return why
        elif name == "BRANCH":
            if inside:
                return "alternation inside a repeat"
            for branch in arg[1]:
                why = _nested(branch, inside)
                if why:
                    return why
        elif name == "SUBPATTERN":
            why = _nested(arg[-1], inside)
            if why:
                return why
        elif name in ("ASSERT", "ASSERT_NOT"):
            why = _nested(arg[1], inside)
            if why:
                return why
    return None


LITERALS = list(_regex_literals())


def test_the_guard_has_regular_expressions_to_check():
    assert len(LITERALS) > 20


@pytest.mark.parametrize("where,pattern", LITERALS, ids=[w for w, _ in LITERALS])
def test_no_regular_expression_can_backtrack_exponentially(where, pattern):
    assert _nested(sre_parse.parse(pattern), False) is None, (where, pattern)
    compiled = re.compile(pattern)
    for attack in ("a" * 5000 + "!", "-" * 5000, " " * 5000 + "x", ":" * 3000 + "0" * 3000,
                   "kind: " * 2000, "\"" * 5000, "{" * 3000 + "}", "$" * 5000):
        start = time.process_time()
        compiled.match(attack)
        compiled.search(attack[:1500])      # search retries at every start: quadratic at
        assert time.process_time() - start < 0.5, (where, attack[:10])   # worst, never more
