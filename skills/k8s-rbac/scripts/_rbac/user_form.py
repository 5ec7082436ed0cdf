"""A User subject that names the denied user in another form than the authenticator produced.

RBAC compares a User subject with the username byte for byte (kubernetes v1.37.2
pkg/registry/rbac/validation/rule.go:283-284 appliesToUser). An OIDC username is
`<prefix><claim value>` (k8s.io/apiserver v0.37.2 plugin/pkg/authenticator/token/oidc/
oidc.go:1023-1025), and the prefix comes from the flags (kubernetes v1.37.2
pkg/kubeapiserver/options/authentication.go:529-541): `--oidc-username-prefix` unset with a
claim other than `email` gives `<issuer URL>#`, `-` gives none, any other value is used as
is. So a binding written for one prefix setting never applies under another: `ISSUER#sub`
to a plain `alice`, `oidc:alice` to `alice`, `alice` to `oidc:alice` (int128/kubelogin#266:
`--oidc-username-prefix=-` made the user plain `test` while the ClusterRoleBinding named the
`ISSUER_URL#sub` form of kubelogin's setup doc; binding the name itself fixed it).
"""
from __future__ import annotations

import re

# `<issuer URL>#<claim>`: the legacy default prefix (authentication.go:531-536)
_ISSUER_FORM = re.compile(r"^(?P<issuer>https?://[^#\s]+)#(?P<claim>\S+)$")
# the separators an explicit --oidc-username-prefix ends with in every setup guide
# (`oidc:`, `keycloak:`, `ISSUER#`); a bare word before the name (`dev-alice`) is another user
_SEPARATORS = (":", "#")
# the apiserver's OIDC flags, as a static pod manifest, a systemd unit or `ps` prints them
_FLAG = re.compile(r"--oidc-(?P<key>issuer-url|username-claim|username-prefix)[= ]"
                   r"[\"']?(?P<value>[^\s\"']*)")


def form_gap(subject: str, user: str, oidc_flags: dict[str, str] | None = None) -> str:
    """Why User subject `subject` is the denied `user` written for another prefix, else ''.

    An issuer-URL subject whose claim is not the user's counts only beside the apiserver's
    pasted OIDC flags: without them a plain user may be anyone (a certificate's admin).

    >>> form_gap("https://idp.example/realms/k#alice", "alice")[:40]
    'the subject has the form <issuer URL>#<c'
    >>> form_gap("https://idp.example/realms/k#0b1c-77", "alice")
    ''
    >>> bool(form_gap("https://idp.example/realms/k#0b1c-77", "alice", {"username-prefix": "-"}))
    True
    >>> form_gap("oidc:alice", "alice")
    "the subject carries the prefix 'oidc:' the denied username has not"
    >>> form_gap("alice", "oidc:alice")
    "the denied username carries the prefix 'oidc:' the subject has not"
    >>> form_gap("dev-alice", "alice"), form_gap("system:masters", "masters")
    ('', '')
    """
    if not subject or not user or subject == user or subject.startswith("system:") \
            or user.startswith("system:"):
        return ""  # built-in identities (ServiceAccounts, nodes, anonymous) have no prefix
    issuer = _ISSUER_FORM.match(subject)
    if issuer and "#" not in user and (issuer["claim"] == user or oidc_flags):
        return ("the subject has the form <issuer URL>#<claim>, the API server's default "
                "OIDC username when --oidc-username-prefix is unset and the claim is not "
                "email; the denied username carries no such prefix")
    for longer, shorter, who in ((subject, user, "the subject"),
                                 (user, subject, "the denied username")):
        if longer.endswith(shorter) and longer[:-len(shorter)][-1:] in _SEPARATORS:
            other = "the subject" if who != "the subject" else "the denied username"
            return f"{who} carries the prefix {longer[:-len(shorter)]!r} {other} has not"
    return ""


def oidc_flags(texts: list[str]) -> dict[str, str]:
    """The apiserver's pasted --oidc-issuer-url/-username-claim/-username-prefix values.

    >>> oidc_flags(["    - --oidc-username-prefix=-", "--oidc-username-claim email"])
    {'username-prefix': '-', 'username-claim': 'email'}
    """
    found: dict[str, str] = {}
    for line in texts:
        for m in _FLAG.finditer(line):
            found.setdefault(m["key"], m["value"])
    return found


def flag_evidence(subject: str, flags: dict[str, str]) -> list[str]:
    """What the pasted flags make of a username, and an issuer that differs from the subject's.

    >>> flag_evidence("https://a.example/r#x", {"username-prefix": "-",
    ...               "issuer-url": "https://b.example/r"})[1]
    "the subject's issuer https://a.example/r is not --oidc-issuer-url https://b.example/r"
    """
    if not flags:
        return []
    prefix, claim = flags.get("username-prefix"), flags.get("username-claim", "sub")
    made = ("no prefix (--oidc-username-prefix=-)" if prefix == "-" else
            f"the prefix {prefix!r} (--oidc-username-prefix)" if prefix else
            "no prefix (claim email)" if claim == "email" else
            "the prefix <--oidc-issuer-url>#")
    out = [f"API server flags: usernames are the {claim} claim with {made}"]
    issuer, url = _ISSUER_FORM.match(subject), flags.get("issuer-url")
    if issuer and url and issuer["issuer"] != url:
        out.append(f"the subject's issuer {issuer['issuer']} is not --oidc-issuer-url {url}")
    return out
