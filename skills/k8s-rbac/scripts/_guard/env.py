"""Variables that change what a command does: shell specials and environment variables.

A command may set variables for itself (`KUBECONFIG=x kubectl ...`), for the rest of the
line (`export X=...`, `X=...` when X is already exported) or for the shell (`PS4=...`).
Many programs read variables that make them run other programs, talk to another server
or trust another certificate. Those are asked (or denied when they send the cluster
credentials elsewhere); plain names the line invents are fine.

    >>> env_risk("KUBECONFIG")[0], env_risk("LANG"), env_risk("my_ns")
    ('ask', None, None)
    >>> env_risk("HELM_KUBEAPISERVER")[0]
    'deny'
"""
from __future__ import annotations

import re

# Send the cluster credentials to another endpoint: never without a person, and denied.
DENY = {
    "KUBERNETES_SERVICE_HOST": "points in-cluster kubectl at another API server",
    "KUBERNETES_SERVICE_PORT": "points in-cluster kubectl at another API server port",
    "HELM_KUBEAPISERVER": "points helm at another API server",
    "HELM_KUBETOKEN": "swaps helm's credentials",
    "HELM_KUBECAFILE": "makes helm trust another certificate authority",
    "HELM_KUBEINSECURE_SKIP_TLS_VERIFY": "turns off helm's TLS verification",
    "HELM_KUBETLS_SERVER_NAME": "changes the server name helm verifies",
}
# Make a program read another configuration, run another program or reach another host.
ASK = {
    "KUBECONFIG": "picks another kubeconfig (another cluster, identity or exec plugin)",
    "KUBERC": "loads kubectl preferences from another file (aliases, defaults)",
    "KUBECTL_EXTERNAL_DIFF": "makes kubectl diff run another program",
    "KUBE_EDITOR": "makes kubectl edit run another program",
    "EDITOR": "names a program other programs run", "VISUAL": "names a program to run",
    "PAGER": "names a program other programs run", "MANPAGER": "names a program to run",
    "BROWSER": "names a program to run", "SHELL": "names the shell programs start",
    "LESSOPEN": "makes less run a program on every file",
    "LESSCLOSE": "makes less run a program", "LESSKEY": "loads less key bindings",
    "LESS": "sets less options", "BASH_ENV": "makes every bash script run a file first",
    "ENV": "makes sh run a file first", "PS4": "is expanded (and can run commands) by "
    "set -x", "PROMPT_COMMAND": "runs before every prompt", "SHELLOPTS": "sets shell "
    "options in every bash", "BASHOPTS": "sets shell options in every bash",
    "IFS": "changes how the shell splits words", "PATH": "changes which programs run",
    "HOME": "changes which configuration files programs read",
    "CDPATH": "changes where cd goes", "GLOBIGNORE": "changes pathname expansion",
    "ZDOTDIR": "makes zsh read another startup file", "INPUTRC": "loads readline "
    "bindings", "GCONV_PATH": "loads code into every program", "LOCPATH": "loads locale "
    "files", "HOSTALIASES": "redirects host names", "RESOLV_HOST_CONF": "redirects "
    "host names", "NODE_OPTIONS": "loads code into node", "JAVA_TOOL_OPTIONS": "loads "
    "code into java", "_JAVA_OPTIONS": "loads code into java", "CLASSPATH": "loads code",
    "RIPGREP_CONFIG_PATH": "loads ripgrep options (--pre runs programs)",
    "SSL_CERT_FILE": "trusts another certificate authority",
    "SSL_CERT_DIR": "trusts other certificate authorities",
    "CURL_CA_BUNDLE": "trusts another certificate authority",
    "REQUESTS_CA_BUNDLE": "trusts another certificate authority",
    "GOOGLE_APPLICATION_CREDENTIALS": "swaps cloud credentials",
    "DOCKER_CONFIG": "swaps registry credentials", "DOCKER_HOST": "talks to another "
    "container engine", "SSH_AUTH_SOCK": "uses another SSH agent",
    "SSH_ASKPASS": "names a program ssh runs", "SUDO_ASKPASS": "names a program sudo runs",
    "GIT_ASKPASS": "names a program git runs", "TMPDIR": "moves temporary files",
    "TERMINFO": "loads terminal descriptions", "TERMCAP": "loads terminal descriptions",
    "HISTFILE": "writes shell history elsewhere", "MAIL": "reads another mailbox",
    "MAILPATH": "reads other mailboxes", "TZDIR": "loads time zone files",
}
ASK_PREFIXES = {
    "LD_": "loads code into every program (dynamic linker)",
    "DYLD_": "loads code into every program (dynamic linker)",
    "PYTHON": "changes what python runs", "PERL": "changes what perl runs",
    "RUBY": "changes what ruby runs", "GIT_": "changes what git runs or reads",
    "HELM_": "changes helm's configuration", "KUBE": "changes kubectl's configuration",
    "XDG_": "moves every program's configuration files",
    "BASH_FUNC_": "exports a shell function", "BASH": "changes bash itself",
    "CLAUDE": "changes Claude Code's configuration", "ANTHROPIC_": "changes the agent's "
    "configuration", "K8S_SKILLS_": "changes the guard or the audit log",
    "AWS_": "changes cloud credentials (credential_process runs programs)",
    "AZURE_": "changes cloud credentials", "CLOUDSDK_": "changes cloud credentials",
    "COMP_": "changes completion", "SSL_": "changes TLS trust",
}
ASK_CASEFOLD = {"http_proxy", "https_proxy", "all_proxy", "no_proxy", "ftp_proxy"}
SAFE = {"LANG", "LANGUAGE", "TZ", "NO_COLOR", "FORCE_COLOR", "CLICOLOR", "CLICOLOR_FORCE",
        "COLUMNS", "LINES", "TERM", "COLORTERM", "DEBIAN_FRONTEND"}
# bash's own variables (man bash, "Shell Variables"): assigning them changes the shell.
SHELL_SPECIAL = set("""BASH BASHOPTS BASHPID BASH_ALIASES BASH_ARGC BASH_ARGV BASH_ARGV0
BASH_CMDS BASH_COMMAND BASH_COMPAT BASH_ENV BASH_EXECUTION_STRING BASH_LINENO
BASH_LOADABLES_PATH BASH_REMATCH BASH_SOURCE BASH_SUBSHELL BASH_VERSINFO BASH_VERSION
BASH_XTRACEFD CDPATH CHILD_MAX COMPREPLY COMP_CWORD COMP_KEY COMP_LINE COMP_POINT COMP_TYPE
COMP_WORDBREAKS COMP_WORDS DIRSTACK EMACS ENV EPOCHREALTIME EPOCHSECONDS EUID EXECIGNORE
FCEDIT FIGNORE FUNCNAME FUNCNEST GLOBIGNORE GLOBSORT GROUPS HISTCMD HISTCONTROL HISTFILE
HISTFILESIZE HISTIGNORE HISTSIZE HISTTIMEFORMAT HOME HOSTFILE HOSTNAME HOSTTYPE IFS
IGNOREEOF INPUTRC INSIDE_EMACS LINENO MACHTYPE MAIL MAILCHECK MAILPATH MAPFILE OLDPWD
OPTARG OPTERR OPTIND OSTYPE PATH PIPESTATUS POSIXLY_CORRECT PPID PROMPT_COMMAND
PROMPT_DIRTRIM PS0 PS1 PS2 PS3 PS4 PWD RANDOM READLINE_ARGUMENT READLINE_LINE
READLINE_MARK READLINE_POINT REPLY SECONDS SHELL SHELLOPTS SHLVL SRANDOM TIMEFORMAT TMOUT
TMPDIR UID auto_resume histchars""".split())
SECRET_NAME = re.compile(r"(?i)token|secret|passw|api_?key|credential|private_?key|"
                         r"auth|cookie|session")


def env_risk(name: str) -> tuple[str, str, str] | None:
    """(decision, why, signal) when a variable in a program's environment is risky."""
    if name in SAFE or name.startswith("LC_"):
        return None
    if name in DENY:
        return ("deny", f"{name} {DENY[name]}", f"flag_injection:{name}")
    if name in ASK:
        return ("ask", f"{name} {ASK[name]}", f"env:{name}")
    if name.lower() in ASK_CASEFOLD:
        return ("ask", f"{name} sends requests through another proxy", f"env:{name}")
    for prefix, why in ASK_PREFIXES.items():
        if name.startswith(prefix):
            return ("ask", f"{name} {why}", f"env:{name}")
    if name in SHELL_SPECIAL:
        return ("ask", f"{name} is a bash variable that changes the shell", f"env:{name}")
    return None


def shell_var_risk(name: str) -> tuple[str, str, str] | None:
    """Risk of assigning a shell variable (it may already be exported: same rules)."""
    return env_risk(name)


def secret_name(name: str) -> bool:
    """Does the variable's name say it holds a credential (its value must not be shown)?"""
    return bool(SECRET_NAME.search(name))
