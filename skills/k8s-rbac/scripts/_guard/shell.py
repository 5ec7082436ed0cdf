"""A reader of shell command lines: bash's grammar as data, never executed.

It reads what bash reads (quoting, every expansion, here-documents with quoted and unquoted
delimiters, redirections, pipelines, lists, subshells, groups, if/while/until/for/case,
arithmetic and conditional commands, function definitions) and returns a tree. It is a
total function with bounded work: any input gives a tree or a ShellParseError, never a hang
(every loop consumes input, nesting and size are capped). Constructs bash would not accept,
and constructs whose meaning differs between the shells a command may reach (zsh glob
qualifiers, extended globs, `$=x`, `${(f)x}`), raise ShellParseError: the guard asks.

`dialect="posix"` reads `sh -c` strings: bash-only syntax ($'..', <(..), &>, <<<, [[, ((,
|&, ;&) raises, so only the part of the grammar that bash and dash read alike is accepted.

    >>> prog = parse("kubectl get pods -n 'a b' | grep -c Running && echo $(date)")
    >>> [w.literal() for w in prog.items[0][0].pipelines[0][1].commands[0].words]
    ['kubectl', 'get', 'pods', '-n', 'a b']
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

MAX_LENGTH = 65536
MAX_DEPTH = 40
MAX_NODES = 20000
BLANKS = " \t"
# Characters that end an unquoted word.
WORD_END = set(" \t\n|&;()<>")
LITERAL_RUN = re.compile(r"[^ \t\n|&;()<>'\"\\$`]+")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
NEXT_WORD = re.compile(r"[^ \t\n;&|()<>]+")
STARTERS = {"{", "if", "while", "until", "for", "case", "select", "function", "[[", "coproc"}
STRAYS = {"then", "elif", "else", "fi", "do", "done", "esac", "}", "in", "]]"}
RESERVED = {"if", "then", "elif", "else", "fi", "case", "esac", "for", "select", "while",
            "until", "do", "done", "in", "function", "time", "{", "}", "!", "[[", "]]",
            "coproc"}
SPECIAL_PARAMS = set("@*#?-$!0123456789")
TILDE = re.compile(r"~([A-Za-z0-9._-]*|[+-])(?=[/:]|$|[ \t\n;&|()<>])")
FUNCTION_NAME = re.compile(r"[^\s()|&;<>'\"$`\\]+")
NAMED_FD = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}[<>]")
DIGITS = re.compile(r"[0-9]+")
ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?=)")


class ShellParseError(ValueError):
    """The line is not something the guard can read with certainty."""


# --- the tree -------------------------------------------------------------------------

@dataclass
class Lit:
    text: str
    quoted: bool = False          # from quotes or a backslash: no splitting, no globbing


@dataclass
class Param:
    name: str                     # identifier, digit(s) or one of @*#?-$!
    op: str = ""                  # "", ":-", "-", ":=", "=", ":?", "?", ":+", "+", "#len",
    arg: "Word | None" = None     # "#", "##", "%", "%%", "/", "//", "/#", "/%", "^", "^^",
    arg2: "Word | None" = None    # ",", ",,", "@Q"..., ":off" (arg=offset, arg2=length)
    quoted: bool = False


@dataclass
class CmdSub:
    program: "Program"
    quoted: bool = False
    backtick: bool = False


@dataclass
class Arith:
    expr: "Word"                  # the expression text with its own expansions
    quoted: bool = False


@dataclass
class ProcSub:
    program: "Program"
    direction: str                # "<" or ">"


@dataclass
class Tilde:
    user: str                     # "" for ~, "+" / "-" for ~+ / ~-


@dataclass
class Word:
    parts: list
    source: str = ""

    def literal(self) -> str | None:
        """The word's value when it has no expansion at all (quotes removed)."""
        out = []
        for part in self.parts:
            if not isinstance(part, Lit):
                return None
            out.append(part.text)
        return "".join(out)

    def is_plain(self, text: str) -> bool:
        """True when the word is exactly `text`, unquoted (how reserved words are spotted)."""
        return len(self.parts) == 1 and isinstance(self.parts[0], Lit) and \
            not self.parts[0].quoted and self.parts[0].text == text

    def quoted_anywhere(self) -> bool:
        return any(getattr(p, "quoted", False) for p in self.parts)


@dataclass
class HereDoc:
    delimiter: str
    quoted: bool                  # a quoted delimiter: the body is taken literally
    strip_tabs: bool
    body: "Word | None" = None    # filled in when the body is read


@dataclass
class Redir:
    op: str                       # < > >> >| <> >& <& &> &>> << <<- <<<
    target: "Word | HereDoc"
    fd: int | None = None


@dataclass
class Assign:
    name: str
    value: Word
    append: bool = False


@dataclass
class Simple:
    assigns: list = field(default_factory=list)
    words: list = field(default_factory=list)
    redirs: list = field(default_factory=list)


@dataclass
class Compound:
    kind: str                     # group subshell if while until for arith_for case arith
    body: "Program | None" = None  # cond function coproc select
    parts: list = field(default_factory=list)   # kind-specific, see the parse_* methods
    redirs: list = field(default_factory=list)
    name: str = ""


@dataclass
class Pipeline:
    commands: list
    negated: bool = False
    timed: bool = False


@dataclass
class AndOr:
    pipelines: list               # [(op, Pipeline)], op "" for the first, then && or ||


@dataclass
class Program:
    items: list                   # [(AndOr, terminator)]: terminator ";" "&" "\n" or ""
    comments: list = field(default_factory=list)


# --- the parser -----------------------------------------------------------------------

def parse(text: str, dialect: str = "bash", deadline: float | None = None) -> Program:
    """The tree of a whole command line; ShellParseError when it cannot be read (or not
    before `deadline`, a time.process_time() value)."""
    if not isinstance(text, str):
        raise ShellParseError("the command is not text")
    if len(text) > MAX_LENGTH:
        raise ShellParseError(f"the command is {len(text)} characters long (limit "
                              f"{MAX_LENGTH})")
    if "\x00" in text:
        raise ShellParseError("the command contains a NUL byte")
    parser = _Parser(text, dialect)
    parser.deadline = deadline
    program = parser.program(stop=())
    if parser.pos < len(text):
        raise ShellParseError(f"unexpected {text[parser.pos]!r} at {parser.pos}")
    if parser.pending:
        raise ShellParseError(f"here-document {parser.pending[0][1].delimiter!r} has no "
                              "body")
    program.comments = parser.comments
    return program


class _Parser:
    def __init__(self, text: str, dialect: str):
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.posix = dialect == "posix"
        self.depth = 0
        self.nodes = 0
        self.level = 0                   # substitution nesting: $( ), <( ), ` `
        self.pending: list = []          # [(level, HereDoc)] waiting for the next newline
        self.comments: list[str] = []
        self.deadline: float | None = None

    # -- helpers --
    def fail(self, why: str):
        raise ShellParseError(f"{why} (at character {self.pos})")

    def enter(self):
        self.depth += 1
        self.nodes += 1
        if self.depth > MAX_DEPTH:
            self.fail("nested too deeply")
        if self.nodes > MAX_NODES:
            self.fail("too many parts")
        if self.deadline is not None and self.nodes % 64 == 0 and \
                time.process_time() > self.deadline:
            self.fail("the line takes too long to read")

    def tick(self):
        """A long loop inside one word checks the clock too."""
        if self.deadline is not None and time.process_time() > self.deadline:
            self.fail("the line takes too long to read")

    def leave(self):
        self.depth -= 1

    def peek(self, k: int = 0) -> str:
        i = self.pos + k
        return self.text[i] if i < self.n else ""

    def startswith(self, s: str) -> bool:
        return self.text.startswith(s, self.pos)

    def bashism(self, what: str):
        if self.posix:
            self.fail(f"{what} is bash syntax that sh reads differently")

    def skip_blanks(self):
        """Spaces, tabs and backslash-newline continuations (never newlines)."""
        while self.pos < self.n:
            c = self.text[self.pos]
            if c in BLANKS:
                self.pos += 1
            elif c == "\\" and self.peek(1) == "\n":
                self.pos += 2
            else:
                return

    def skip_comment(self):
        if self.peek() == "#":
            end = self.text.find("\n", self.pos)
            end = self.n if end < 0 else end
            self.comments.append(self.text[self.pos + 1:end].strip())
            self.pos = end

    def skip_space(self, newlines: bool):
        """Blanks and comments; newlines too when the grammar allows them here."""
        while True:
            self.skip_blanks()
            self.skip_comment()
            if newlines and self.peek() == "\n":
                self.newline()
                continue
            return

    def newline(self):
        """Consume a newline and read the bodies of here-documents opened on its line."""
        self.pos += 1
        if not self.pending:
            return
        if any(level != self.level for level, _ in self.pending):
            self.fail("a here-document and a line break in different nesting levels")
        docs, self.pending = self.pending, []
        for _, doc in docs:
            self.heredoc_body(doc)

    def heredoc_body(self, doc: HereDoc):
        lines = []
        while True:
            if self.pos >= self.n:
                self.fail(f"here-document {doc.delimiter!r} is not terminated")
            end = self.text.find("\n", self.pos)
            end = self.n if end < 0 else end
            line = self.text[self.pos:end]
            self.pos = min(end + 1, self.n)
            if doc.strip_tabs:
                line = line.lstrip("\t")
            if line == doc.delimiter:
                break
            lines.append(line)
        body = "".join(line + "\n" for line in lines)
        doc.body = Word([Lit(body, True)], body) if doc.quoted else \
            _Parser.sub(self, body).heredoc_word()

    @staticmethod
    def sub(outer: "_Parser", text: str, dialect_posix: bool | None = None) -> "_Parser":
        p = _Parser(text, "posix" if (outer.posix if dialect_posix is None
                                      else dialect_posix) else "bash")
        p.depth, p.nodes, p.deadline = outer.depth, outer.nodes, outer.deadline
        return p

    # -- lists --
    def program(self, stop: tuple) -> Program:
        """A list of and-or lists up to EOF or one of `stop` (operators / reserved words)."""
        self.enter()
        items = []
        while True:
            self.skip_space(newlines=True)
            if self.pos >= self.n or self.at_stop(stop):
                break
            node = self.and_or()
            self.skip_blanks()
            c = self.peek()
            if c in (";", "&") and not self.at_op((";;", ";&", ";;&", "&&", "&>")):
                items.append((node, c))
                self.pos += 1
            elif c == "\n":
                items.append((node, "\n"))
                self.newline()
            else:
                self.skip_comment()
                items.append((node, ""))
                if self.peek() == "\n":
                    continue
                break
        self.leave()
        return Program(items)

    def at_op(self, ops) -> bool:
        return any(self.startswith(op) for op in ops)

    def at_stop(self, stop: tuple) -> bool:
        if not stop:
            return False
        c = self.peek()
        if c in ")`;" and c:
            return any(s in (")", ";;", ";&", ";;&", "`") and self.startswith(s)
                       for s in stop)
        word = self.next_word()
        return word is not None and word in stop

    def next_word(self) -> str | None:
        """The unquoted word at the cursor (how a reserved word is spotted), or None."""
        match = NEXT_WORD.match(self.text, self.pos)
        return match.group(0) if match else None

    def reserved_ahead(self, word: str) -> bool:
        """Is the next word the reserved word `word` (unquoted, followed by a word end)?"""
        if not self.startswith(word):
            return False
        after = self.peek(len(word))
        return after == "" or after in WORD_END

    def and_or(self) -> AndOr:
        self.enter()
        pipelines = [("", self.pipeline())]
        while True:
            self.skip_blanks()
            if self.startswith("&&") or self.startswith("||"):
                op = self.text[self.pos:self.pos + 2]
                self.pos += 2
                self.skip_space(newlines=True)
                pipelines.append((op, self.pipeline()))
            else:
                break
        self.leave()
        return AndOr(pipelines)

    def pipeline(self) -> Pipeline:
        self.enter()
        self.skip_blanks()
        timed = negated = False
        if self.reserved_ahead("time"):
            timed = True
            self.pos += 4
            self.skip_blanks()
            if self.startswith("-p") and (self.peek(2) in WORD_END or self.peek(2) == ""):
                self.pos += 2
                self.skip_blanks()
        while self.reserved_ahead("!"):
            negated = not negated
            self.pos += 1
            self.skip_blanks()
        commands = [self.command()]
        while True:
            self.skip_blanks()
            if self.startswith("|") and not self.startswith("||"):
                if self.startswith("|&"):
                    self.bashism("|&")
                    self.pos += 2
                else:
                    self.pos += 1
                self.skip_space(newlines=True)
                commands.append(self.command())
            else:
                break
        self.leave()
        return Pipeline(commands, negated, timed)

    # -- commands --
    def command(self):
        self.enter()
        self.skip_blanks()
        c = self.peek()
        if c == "" or c in ";&|)\n":
            self.fail(f"a command was expected before {c or 'the end'!r}")
        if self.startswith("(("):
            self.bashism("((")
            node = self.arith_command()
        elif c == "(":
            self.pos += 1
            body = self.program(stop=(")",))
            self.expect(")")
            node = Compound("subshell", body)
        else:
            node = self.reserved_command() or self.simple_command()
        if isinstance(node, Compound):
            node.redirs = self.trailing_redirections()
        self.leave()
        return node

    def expect(self, token: str):
        self.skip_space(newlines=True)
        if not self.startswith(token):
            self.fail(f"{token!r} expected")
        self.pos += len(token)

    def expect_reserved(self, word: str):
        self.skip_space(newlines=True)
        if not self.reserved_ahead(word):
            self.fail(f"{word!r} expected")
        self.pos += len(word)

    def reserved_command(self):
        word = self.next_word()
        if word in STARTERS:
            method = {"{": self.group, "if": self.if_command, "while": self.loop,
                      "until": self.loop, "for": self.for_command, "case": self.case_command,
                      "select": self.select_command, "function": self.function_kw,
                      "[[": self.cond_command, "coproc": self.coproc}[word]
            self.pos += len(word)
            return method(word)
        if word in STRAYS:
            self.fail(f"unexpected {word!r}")
        return None

    def group(self, _):
        body = self.program(stop=("}",))
        self.expect_reserved("}")
        return Compound("group", body)

    def if_command(self, _):
        clauses = []
        cond = self.program(stop=("then",))
        self.expect_reserved("then")
        clauses.append((cond, self.program(stop=("elif", "else", "fi"))))
        otherwise = None
        while True:
            self.skip_space(newlines=True)
            if self.reserved_ahead("elif"):
                self.pos += 4
                cond = self.program(stop=("then",))
                self.expect_reserved("then")
                clauses.append((cond, self.program(stop=("elif", "else", "fi"))))
            elif self.reserved_ahead("else"):
                self.pos += 4
                otherwise = self.program(stop=("fi",))
            else:
                break
        self.expect_reserved("fi")
        return Compound("if", otherwise, parts=clauses)

    def loop(self, word):
        cond = self.program(stop=("do",))
        body = self.do_body()
        return Compound(word, body, parts=[cond])

    def do_body(self) -> Program:
        self.expect_reserved("do")
        body = self.program(stop=("done",))
        self.expect_reserved("done")
        return body

    def loop_name(self) -> str:
        self.skip_blanks()
        match = NAME.match(self.text, self.pos)
        if not match or (self.peek(match.end() - self.pos) not in WORD_END and
                         match.end() < self.n):
            self.fail("a loop variable name was expected")
        self.pos = match.end()
        return match.group(0)

    def for_command(self, _):
        self.skip_blanks()
        if self.startswith("(("):
            self.bashism("for ((")
            self.pos += 2
            expr = self.arith_until("))")
            self.skip_blanks()
            if self.peek() == ";":
                self.pos += 1
            return Compound("arith_for", self.do_body(), parts=[expr])
        name = self.loop_name()
        words = self.loop_words()
        return Compound("for", self.do_body(), parts=[words], name=name)

    def loop_words(self):
        """`in WORDS ;` (None when there is no `in`: the positional parameters)."""
        self.skip_space(newlines=True)
        words = None
        if self.reserved_ahead("in"):
            self.pos += 2
            words = []
            while True:
                self.skip_blanks()
                self.skip_comment()
                c = self.peek()
                if c in (";", "\n") or c == "":
                    break
                words.append(self.word_or_fail())
        self.skip_blanks()
        if self.peek() == ";":
            self.pos += 1
        return words

    def select_command(self, _):
        self.bashism("select")
        name = self.loop_name()
        words = self.loop_words()
        return Compound("select", self.do_body(), parts=[words], name=name)

    def case_command(self, _):
        self.skip_blanks()
        subject = self.word_or_fail()
        self.expect_reserved("in")
        items = []
        while True:
            self.skip_space(newlines=True)
            if self.reserved_ahead("esac"):
                self.pos += 4
                break
            if self.peek() == "(":
                self.pos += 1
            patterns = [self.case_pattern()]
            while True:
                self.skip_blanks()
                if self.peek() == "|":
                    self.pos += 1
                    patterns.append(self.case_pattern())
                else:
                    break
            self.expect(")")
            body = self.program(stop=(";;&", ";;", ";&", "esac"))
            self.skip_space(newlines=True)
            end = ""
            for op in (";;&", ";;", ";&"):
                if self.startswith(op):
                    if op != ";;":
                        self.bashism(op)
                    end = op
                    self.pos += len(op)
                    break
            items.append((patterns, body, end))
            if not end:
                self.expect_reserved("esac")
                break
        return Compound("case", None, parts=[subject, items])

    def case_pattern(self) -> Word:
        self.skip_blanks()
        return self.word_or_fail()

    def function_kw(self, _):
        self.bashism("function")
        self.skip_blanks()
        match = NAME.match(self.text, self.pos) or FUNCTION_NAME.match(self.text, self.pos)
        if not match:
            self.fail("a function name was expected")
        self.pos = match.end()
        self.skip_blanks()
        if self.startswith("()") or (self.peek() == "(" and self.skip_parens()):
            pass
        return self.function_body(match.group(0))

    def skip_parens(self) -> bool:
        save = self.pos
        self.pos += 1
        self.skip_blanks()
        if self.peek() == ")":
            self.pos += 1
            return True
        self.pos = save
        return False

    def function_body(self, name: str) -> Compound:
        if self.startswith("()"):
            self.pos += 2
        self.skip_space(newlines=True)
        body = self.command()
        if not isinstance(body, Compound):
            self.fail("a function body must be a compound command")
        return Compound("function", Program([(AndOr([("", Pipeline([body]))]), "")]),
                        name=name)

    def coproc(self, _):
        self.bashism("coproc")
        self.skip_blanks()
        body = self.command()
        return Compound("coproc", Program([(AndOr([("", Pipeline([body]))]), "")]))

    def arith_command(self):
        self.pos += 2
        expr = self.arith_until("))")
        return Compound("arith", None, parts=[expr])

    def cond_command(self, _):
        """`[[ ... ]]`: words and operators up to `]]` (no splitting, no globbing)."""
        self.bashism("[[")
        tokens = []
        while True:
            self.skip_space(newlines=True)
            if self.reserved_ahead("]]"):
                self.pos += 2
                break
            if self.pos >= self.n:
                self.fail("[[ without ]]")
            op = next((o for o in ("&&", "||", "(", ")", "!", "<", ">")
                       if self.startswith(o)), None)
            if op and not (op == "!" and self.peek(1) not in WORD_END and self.peek(1)):
                tokens.append(op)
                self.pos += len(op)
                continue
            if tokens and tokens[-1] == "=~":
                tokens.append(self.regex_word())
                continue
            word = self.word_or_fail()
            tokens.append(word.literal() if word.literal() in
                          ("=~", "==", "=", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge")
                          and not word.quoted_anywhere() else word)
        return Compound("cond", None, parts=tokens)

    def regex_word(self) -> Word:
        """The right side of =~: parentheses and bars belong to the regular expression."""
        self.skip_blanks()
        parts, depth = [], 0
        while self.pos < self.n:
            c = self.peek()
            if c in " \t\n" and depth == 0:
                break
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            if c in "()|<>&;":
                parts.append(Lit(c))
                self.pos += 1
                continue
            word = self.word_piece(paren_ends=True)
            if word is None:
                self.fail("unreadable regular expression")
            parts.extend(word)
        if not parts:
            self.fail("=~ without a regular expression")
        return Word(parts)

    # -- simple commands and redirections --
    def simple_command(self) -> Simple:
        cmd = Simple()
        while True:
            self.skip_blanks()
            c = self.peek()
            if c == "" or c in ";&|)\n#":
                if c == "&" and self.startswith("&>"):
                    cmd.redirs.append(self.redirection(None))
                    continue
                if c == "#":
                    self.skip_comment()
                break
            if c == "(" :
                if cmd.words and len(cmd.words) == 1 and not cmd.assigns and \
                        self.skip_parens():
                    name = cmd.words[0].literal()
                    if not name or cmd.words[0].quoted_anywhere():
                        self.fail("a function name must be a plain word")
                    self.skip_space(newlines=True)
                    return self.function_body_after_parens(name)
                self.fail("unexpected '('")
            fd = self.io_number()
            if fd is not None or (c in "<>" and self.peek(1) != "("):
                cmd.redirs.append(self.redirection(fd))
                continue
            word = self.word_or_fail()
            assign = None if cmd.words else self.as_assignment(word)
            if assign is not None:
                cmd.assigns.append(assign)
            else:
                cmd.words.append(word)
        if not (cmd.words or cmd.assigns or cmd.redirs):
            self.fail("empty command")
        return cmd

    def function_body_after_parens(self, name: str) -> Compound:
        body = self.command()
        if not isinstance(body, Compound):
            self.fail("a function body must be a compound command")
        return Compound("function", Program([(AndOr([("", Pipeline([body]))]), "")]),
                        name=name)

    def io_number(self) -> int | None:
        """`2>` `10<&`: digits immediately followed by a redirection operator."""
        i = self.pos
        while i < self.n and self.text[i].isdigit() and self.text[i].isascii():
            i += 1
        if i > self.pos and i < self.n and self.text[i] in "<>":
            value = int(self.text[self.pos:i][:6])
            self.pos = i
            return value
        if self.peek() == "{" and NAMED_FD.match(self.text, self.pos):
            self.fail("{name}> redirections (a variable holds the descriptor)")
        return None

    REDIR_OPS = ("&>>", "&>", "<<<", "<<-", "<<", "<&", "<>", ">>", ">&", ">|", "<", ">")

    def redirection(self, fd: int | None) -> Redir:
        op = next(o for o in self.REDIR_OPS if self.startswith(o))
        if op in ("&>>", "&>", "<<<"):
            self.bashism(op)
        self.pos += len(op)
        self.skip_blanks()
        if op in ("<<", "<<-"):
            return Redir(op, self.heredoc_start(op == "<<-"), fd)
        if self.peek() in ("", "\n") or self.peek() in ";&|()<>":
            if not (self.peek() in "<>" and self.peek(1) == "("):
                self.fail(f"redirection {op!r} without a target")
        if self.peek() in ("!", "|", "#") and op in (">", ">>", "<", "&>", "&>>", ">|"):
            self.fail("a redirection target starting with !, | or # (shells disagree)")
        return Redir(op, self.word_or_fail(), fd)

    def heredoc_start(self, strip_tabs: bool) -> HereDoc:
        word = self.word_or_fail()
        delim = []
        quoted = False
        for part in word.parts:
            if not isinstance(part, Lit):
                self.fail("a here-document delimiter with an expansion")
            quoted = quoted or part.quoted
            delim.append(part.text)
        doc = HereDoc("".join(delim), quoted or "\\" in word.source or "'" in word.source
                      or '"' in word.source, strip_tabs)
        self.pending.append((self.level, doc))
        return doc

    def trailing_redirections(self) -> list:
        redirs = []
        while True:
            self.skip_blanks()
            fd = self.io_number()
            if fd is not None or (self.peek() in "<>" and self.peek() and
                                  self.peek(1) != "("):
                redirs.append(self.redirection(fd))
            elif self.startswith("&>"):
                redirs.append(self.redirection(None))
            else:
                return redirs

    def as_assignment(self, word: Word) -> Assign | None:
        first = word.parts[0] if word.parts else None
        if not isinstance(first, Lit) or first.quoted:
            return None
        match = ASSIGNMENT.match(first.text)
        if not match:
            return None
        if match.group(2):
            self.fail("an array element assignment (its subscript is evaluated)")
        rest = first.text[match.end():]
        value_parts = ([Lit(rest)] if rest else []) + word.parts[1:]
        if word.source[len(match.group(0)):].startswith("("):
            self.fail("an array assignment")
        return Assign(match.group(1), Word(value_parts, word.source[match.end():]),
                      match.group(3) == "+=")

    # -- words --
    def word_or_fail(self) -> Word:
        start = self.pos
        parts = self.word_piece()
        if not parts:
            self.fail("a word was expected")
        return Word(parts, self.text[start:self.pos])

    def word_piece(self, paren_ends: bool = False) -> list | None:
        """The parts of one word, up to an unquoted blank or operator."""
        self.enter()
        parts: list = []
        start = self.pos
        while self.pos < self.n:
            if len(parts) % 256 == 255:
                self.tick()
            c = self.text[self.pos]
            if c in WORD_END:
                if c in "<>" and self.peek(1) == "(" and not paren_ends:
                    parts.append(self.process_substitution())
                    continue
                break
            if c == "\\":
                parts.append(self.backslash())
            elif c == "'":
                parts.append(self.single_quoted())
            elif c == '"':
                parts.extend(self.double_quoted())
            elif c == "$":
                parts.extend(self.dollar(quoted=False))
            elif c == "`":
                parts.append(self.backtick(quoted=False))
            elif c == "~" and self.pos == start:
                parts.append(self.tilde())
            else:
                match = LITERAL_RUN.match(self.text, self.pos)
                parts.append(Lit(match.group(0)))
                self.pos = match.end()
        self.leave()
        return parts or None

    def backslash(self) -> Lit:
        nxt = self.peek(1)
        if nxt == "\n":
            self.pos += 2
            return Lit("", True)
        if nxt == "":
            self.fail("a backslash at the end of the line")
        self.pos += 2
        return Lit(nxt, True)

    def single_quoted(self) -> Lit:
        end = self.text.find("'", self.pos + 1)
        if end < 0:
            self.fail("unterminated single quote")
        text = self.text[self.pos + 1:end]
        self.pos = end + 1
        return Lit(text, True)

    def tilde(self):
        match = TILDE.match(self.text, self.pos)
        if not match:
            self.pos += 1
            return Lit("~")  # "~x@y", '~"root"': not a tilde prefix, a literal "~"
        self.pos = match.end()
        return Tilde(match.group(1))

    def double_quoted(self) -> list:
        self.pos += 1
        parts = []
        buf = []
        while True:
            if self.pos >= self.n:
                self.fail("unterminated double quote")
            c = self.text[self.pos]
            if c == '"':
                self.pos += 1
                break
            if c == "\\":
                nxt = self.peek(1)
                if nxt == "\n":
                    self.pos += 2
                    continue
                if nxt in ('$', '`', '"', "\\"):
                    buf.append(nxt)
                    self.pos += 2
                    continue
                buf.append("\\")
                self.pos += 1
                continue
            if c in "$`":
                if c == "$" and (self.peek(1) in ('"', "") or self.peek(1) in " \t\n"):
                    buf.append("$")
                    self.pos += 1
                    continue
                if buf:
                    parts.append(Lit("".join(buf), True))
                    buf = []
                parts.extend(self.dollar(quoted=True) if c == "$" else
                             [self.backtick(quoted=True)])
                continue
            buf.append(c)
            self.pos += 1
        if buf or not parts:
            parts.append(Lit("".join(buf), True))
        return parts

    def dollar(self, quoted: bool) -> list:
        nxt = self.peek(1)
        if self.startswith("$(("):
            return [self.arith_expansion(quoted)]
        if nxt == "(":
            self.pos += 2
            return [CmdSub(self.nested_program(), quoted)]
        if nxt == "{":
            return [self.braced_param(quoted)]
        if nxt == "'" and not quoted:
            self.bashism("$'...'")
            return [self.ansi_c()]
        if nxt == '"' and not quoted:
            self.bashism('$"..."')
            self.pos += 1
            return self.double_quoted()
        if nxt == "[":
            self.fail("$[...] arithmetic")
        match = NAME.match(self.text, self.pos + 1)
        if match:
            self.pos = match.end()
            return [Param(match.group(0), quoted=quoted)]
        if nxt and nxt in SPECIAL_PARAMS:
            self.pos += 2
            return [Param(nxt, quoted=quoted)]
        if nxt == "" or nxt in " \t\n;&|)<>":
            self.pos += 1
            return [Lit("$", quoted)]
        self.fail(f"'${nxt}' means different things in bash and zsh")
        return []

    def arith_expansion(self, quoted: bool) -> Arith:
        save = self.pos
        self.pos += 3
        try:
            expr = self.arith_until("))")
        except ShellParseError:
            # `$((cmd) ...)`: a command substitution that starts with a subshell
            self.pos = save + 2
            return CmdSub(self.nested_program(), quoted)
        return Arith(expr, quoted)

    def arith_until(self, end: str) -> Word:
        """Arithmetic text up to `end` at depth 0, with its expansions as parts."""
        self.enter()
        parts, buf, depth = [], [], 0
        while True:
            if self.pos >= self.n:
                self.fail("unterminated arithmetic")
            if depth == 0 and self.startswith(end):
                self.pos += len(end)
                break
            c = self.text[self.pos]
            if c in "'\"":
                self.fail("quotes inside arithmetic")
            if c == "\\" and self.peek(1) == "\n":
                self.pos += 2
                continue
            if c in "$`":
                if buf:
                    parts.append(Lit("".join(buf)))
                    buf = []
                parts.extend(self.dollar(quoted=True) if c == "$" else
                             [self.backtick(quoted=True)])
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth < 0:
                    self.fail("unbalanced ')' in arithmetic")
            buf.append(c)
            self.pos += 1
        if buf:
            parts.append(Lit("".join(buf)))
        self.leave()
        return Word(parts)

    def braced_param(self, quoted: bool) -> Param:
        self.pos += 2
        length = False
        if self.peek() == "#" and self.peek(1) not in ("}", ""):
            length = True
            self.pos += 1
        if self.peek() == "!":
            self.fail("${!...} indirection")
        match = NAME.match(self.text, self.pos)
        if match:
            name = match.group(0)
            self.pos = match.end()
        elif DIGITS.match(self.text, self.pos):
            name = DIGITS.match(self.text, self.pos).group(0)[:12]
            self.pos = DIGITS.match(self.text, self.pos).end()
        elif self.peek() and self.peek() in SPECIAL_PARAMS:
            name = self.peek()
            self.pos += 1
        else:
            self.fail("an unreadable ${...} expansion")
        if self.peek() == "[":
            self.fail("${name[...]}: an array subscript is evaluated as arithmetic")
        if length:
            self.close_brace()
            return Param(name, "#len", quoted=quoted)
        return self.param_operator(name, quoted)

    PARAM_OPS = (":-", ":=", ":?", ":+", "-", "=", "?", "+", "##", "#", "%%", "%", "//",
                 "/#", "/%", "/", "^^", "^", ",,", ",")

    def param_operator(self, name: str, quoted: bool) -> Param:
        if self.peek() == "}":
            self.pos += 1
            return Param(name, quoted=quoted)
        if self.peek() == "@":
            self.bashism("${x@...}")
            op = self.text[self.pos:self.pos + 2]
            self.pos += 2
            self.close_brace()
            return Param(name, op, quoted=quoted)
        if self.peek() == ":" and self.peek(1) not in "-=?+":
            self.bashism("${x:offset}")
            self.pos += 1
            offset = self.param_word(stop=":}")
            length = None
            if self.peek() == ":":
                self.pos += 1
                length = self.param_word(stop="}")
            self.close_brace()
            return Param(name, ":off", offset, length, quoted)
        op = next((o for o in self.PARAM_OPS if self.startswith(o)), None)
        if op is None:
            self.fail("an unreadable ${...} operator")
        if op[0] in "/^,":
            self.bashism("${x" + op + "...}")
        self.pos += len(op)
        if op[0] == "/":
            pattern = self.param_word(stop="/}")
            repl = None
            if self.peek() == "/":
                self.pos += 1
                repl = self.param_word(stop="}")
            self.close_brace()
            return Param(name, op, pattern, repl, quoted)
        arg = self.param_word(stop="}")
        self.close_brace()
        return Param(name, op, arg, quoted=quoted)

    def close_brace(self):
        if self.peek() != "}":
            self.fail("'}' expected to close ${...}")
        self.pos += 1

    def param_word(self, stop: str) -> Word:
        """The word inside ${x:-word}: quotes and expansions, ends at an unquoted `stop`."""
        self.enter()
        parts, buf = [], []
        start = self.pos
        while True:
            if self.pos >= self.n:
                self.fail("unterminated ${...}")
            c = self.text[self.pos]
            if c in stop:
                break
            special = {"\\": self.backslash, "'": self.single_quoted}
            if c in special or c in "\"$`" or (c == "~" and self.pos == start):
                if buf:
                    parts.append(Lit("".join(buf)))
                    buf = []
                if c == '"':
                    parts.extend(self.double_quoted())
                elif c == "$":
                    parts.extend(self.dollar(quoted=False))
                elif c == "`":
                    parts.append(self.backtick(quoted=False))
                elif c == "~":
                    parts.append(self.tilde())
                else:
                    parts.append(special[c]())
                continue
            if c == "\n":
                self.fail("a line break inside ${...}")
            buf.append(c)
            self.pos += 1
        if buf:
            parts.append(Lit("".join(buf)))
        self.leave()
        return Word(parts or [Lit("")], self.text[start:self.pos])

    def ansi_c(self) -> Lit:
        self.pos += 2
        out = []
        while True:
            if self.pos >= self.n:
                self.fail("unterminated $'...'")
            c = self.text[self.pos]
            if c == "'":
                self.pos += 1
                break
            if c == "\\":
                out.append(self.ansi_escape())
                continue
            out.append(c)
            self.pos += 1
        text = "".join(out)
        # bash strings end at a NUL byte: $'kube\0ctl' is "kube"
        return Lit(text.split("\x00", 1)[0], True)

    SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n",
                      "r": "\r", "t": "\t", "v": "\v", "\\": "\\", "'": "'", '"': '"',
                      "?": "?"}

    def ansi_escape(self) -> str:
        nxt = self.peek(1)
        if nxt in self.SIMPLE_ESCAPES:
            self.pos += 2
            return self.SIMPLE_ESCAPES[nxt]
        for prefix, digits, base, width in (("x", "0123456789abcdefABCDEF", 16, 2),
                                            ("u", "0123456789abcdefABCDEF", 16, 4),
                                            ("U", "0123456789abcdefABCDEF", 16, 8)):
            if nxt == prefix:
                i = self.pos + 2
                while i < self.n and i < self.pos + 2 + width and self.text[i] in digits:
                    i += 1
                if i == self.pos + 2:
                    self.pos += 2
                    return "\\" + prefix
                value = int(self.text[self.pos + 2:i], base)
                self.pos = i
                return chr(value) if value < 0x110000 else "\ufffd"
        if nxt and nxt in "01234567":
            i = self.pos + 1
            while i < self.n and i < self.pos + 4 and self.text[i] in "01234567":
                i += 1
            value = int(self.text[self.pos + 1:i], 8) & 0xFF
            self.pos = i
            return chr(value)
        if nxt == "c":
            ctl = self.peek(2)
            if not ctl:
                self.fail("unterminated $'\\c'")
            self.pos += 3
            return chr(ord(ctl.upper()) & 0x1F) if ctl.isascii() else ctl
        self.pos += 2 if nxt else 1
        return "\\" + nxt

    def backtick(self, quoted: bool) -> CmdSub:
        """`...`: backslash keeps its literal meaning except before $ ` \\ (and " in "")."""
        i = self.pos + 1
        out = []
        while True:
            if i >= self.n:
                self.fail("unterminated backtick")
            c = self.text[i]
            if c == "`":
                break
            if c == "\\" and i + 1 < self.n:
                nxt = self.text[i + 1]
                if nxt in "$`\\" or (quoted and nxt == '"'):
                    out.append(nxt)
                    i += 2
                    continue
            out.append(c)
            i += 1
        self.pos = i + 1
        inner = _Parser.sub(self, "".join(out))
        inner.enter()
        program = inner.program(stop=())
        if inner.pos < inner.n or inner.pending:
            self.fail("unreadable command inside backticks")
        self.comments.extend(inner.comments)
        self.nodes = inner.nodes
        return CmdSub(program, quoted, backtick=True)

    def process_substitution(self) -> ProcSub:
        self.bashism("<(...)")
        direction = self.peek()
        self.pos += 2
        return ProcSub(self.nested_program(), direction)

    def nested_program(self) -> Program:
        """The list inside $( ) or <( ): its own level for here-documents."""
        self.level += 1
        body = self.program(stop=(")",))
        self.expect(")")
        self.level -= 1
        return body

    def heredoc_word(self) -> Word:
        """An unquoted here-document body: $, ` and \\ are special, quotes are not."""
        parts, buf = [], []
        while self.pos < self.n:
            c = self.text[self.pos]
            if c == "\\" and self.peek(1) in ("$", "`", "\\", "\n"):
                if self.peek(1) != "\n":
                    buf.append(self.peek(1))
                self.pos += 2
                continue
            if c in "$`":
                if c == "$" and (self.peek(1) == "" or self.peek(1) in " \t\n\"'"):
                    buf.append("$")
                    self.pos += 1
                    continue
                if buf:
                    parts.append(Lit("".join(buf), True))
                    buf = []
                parts.extend(self.dollar(quoted=True) if c == "$" else
                             [self.backtick(quoted=True)])
                continue
            buf.append(c)
            self.pos += 1
        if buf or not parts:
            parts.append(Lit("".join(buf), True))
        return Word(parts, self.text)
