"""Kubernetes name, label and value syntax, with the apiserver's own messages.

Ported from k8s.io/apimachinery v0.37.2: pkg/api/validate/content/{dns,kube,identifier}.go
and pkg/util/validation/validation.go. Each check returns a list of messages (empty = ok).

    >>> is_dns1123_label("my-name"), is_dns1123_label("My_Name")[0][:26]
    ([], 'a lowercase RFC 1123 label')
    >>> is_label_key("example.com/a"), is_label_value("x" * 64)[0]
    ([], 'must be no more than 63 characters')
"""
from __future__ import annotations

import re

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*"
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
LABEL_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
LABEL_VALUE_FMT = "(" + LABEL_KEY_FMT + ")?"
C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*"
ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"

_LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
              "or '-', and must start and end with an alphanumeric character")
_SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                  "characters, '-' or '.', and must start and end with an alphanumeric "
                  "character")
_DNS1035_MSG = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                "start with an alphabetic character, and end with an alphanumeric character")
_KEY_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and "
            "end with an alphanumeric character")
_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, "
              "'-', '_' or '.', and must start and end with an alphanumeric character")


def _full(fmt: str) -> re.Pattern[str]:
    return re.compile("^(?:" + fmt + ")$")


_LABEL_RE = _full(DNS1123_LABEL_FMT)
_SUBDOMAIN_RE = _full(DNS1123_SUBDOMAIN_FMT)
_DNS1035_RE = _full(DNS1035_LABEL_FMT)
_KEY_RE = _full(LABEL_KEY_FMT)
_VALUE_RE = _full(LABEL_VALUE_FMT)
_C_IDENT_RE = _full(C_IDENTIFIER_FMT)
_ENV_RE = _full(ENV_VAR_NAME_FMT)
_CM_KEY_RE = _full(CONFIG_MAP_KEY_FMT)


def max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def _match(regex: re.Pattern[str], value: str) -> bool:
    # Go's `$` never matches before a trailing newline; Python's does.
    return not value.endswith("\n") and regex.match(value) is not None


def is_dns1123_label(value: str) -> list[str]:
    errs = [max_len_error(63)] if len(value) > 63 else []
    if not _match(_LABEL_RE, value):
        if _match(_SUBDOMAIN_RE, value):
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    errs = [max_len_error(253)] if len(value) > 253 else []
    if not _match(_SUBDOMAIN_RE, value):
        errs.append(regex_error(_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    errs = [max_len_error(63)] if len(value) > 63 else []
    if not _match(_DNS1035_RE, value):
        errs.append(regex_error(_DNS1035_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_label_key(value: str) -> list[str]:
    """Also Kubernetes' "qualified name" (annotation keys, resource names, finalizers)."""
    errs, parts = [], value.split("/")
    if len(parts) > 2:
        return ["a valid label key " + regex_error(_KEY_MSG, LABEL_KEY_FMT, "MyName", "my.name",
                                                   "123-abc") +
                " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs += ["prefix part " + m for m in is_dns1123_subdomain(prefix)]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part " + max_len_error(63))
    if not _match(_KEY_RE, name):
        errs.append("name part " + regex_error(_KEY_MSG, LABEL_KEY_FMT, "MyName", "my.name",
                                               "123-abc"))
    return errs


is_qualified_name = is_label_key


def is_label_value(value: str) -> list[str]:
    errs = [max_len_error(63)] if len(value) > 63 else []
    if not _match(_VALUE_RE, value):
        errs.append(regex_error(_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def is_c_identifier(value: str) -> list[str]:
    if _match(_C_IDENT_RE, value):
        return []
    return [regex_error("a valid C identifier must start with alphabetic character or '_', "
                        "followed by a string of alphanumeric characters or '_'",
                        C_IDENTIFIER_FMT, "my_name", "MY_NAME", "MyName")]


def is_valid_port_name(port: str) -> list[str]:
    errs = [max_len_error(15)] if len(port) > 15 else []
    if not re.fullmatch(r"[-a-z0-9]+", port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search(r"[a-z]", port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def is_valid_port_num(port: int) -> list[str]:
    return [] if 1 <= port <= 65535 else ["must be between 1 and 65535, inclusive"]


def is_env_var_name(value: str) -> list[str]:
    """The strict form (the RelaxedEnvironmentVariableValidation gate is GA in 1.34+)."""
    if _match(_ENV_RE, value):
        return []
    return [regex_error("a valid environment variable name must consist of alphabetic "
                        "characters, digits, '_', '-', or '.', and must not start with a digit",
                        ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1")]


def is_relaxed_env_var_name(value: str) -> list[str]:
    """RelaxedEnvironmentVariableValidation (GA): printable ASCII except '='."""
    errs = []
    if not value:
        errs.append("environment variable name must not be empty")
    if any(not (32 <= ord(c) <= 126) or c == "=" for c in value):
        errs.append("a valid environment variable name must consist only of printable ASCII "
                    "characters other than '='")
    return errs


def is_config_map_key(value: str) -> list[str]:
    errs = [max_len_error(253)] if len(value) > 253 else []
    if not _match(_CM_KEY_RE, value):
        errs.append(regex_error("a valid config key must consist of alphanumeric characters, "
                                "'-', '_' or '.'", CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME",
                                "key-name"))
    errs += {".": ["must not be '.'"], "..": ["must not be '..'"]}.get(value, [])
    if value.startswith("..") and value != "..":
        errs.append("must not start with '..'")
    return errs


def mask_trailing_dash(name: str) -> str:
    """generateName prefixes may end in '-' (apimachinery api/validation maskTrailingDash)."""
    return name[:-2] + "a" if len(name) > 1 and name.endswith("-") else name  # sic: 2 chars


def is_dns1123_label_prefix(value: str) -> list[str]:
    return is_dns1123_label(mask_trailing_dash(value))


def is_dns1123_subdomain_prefix(value: str) -> list[str]:
    return is_dns1123_subdomain(mask_trailing_dash(value))


def is_dns1035_label_prefix(value: str) -> list[str]:
    return is_dns1035_label(mask_trailing_dash(value))


def is_path_segment_name(name: str) -> list[str]:
    """content.IsPathSegmentName: the loosest name rule (RBAC objects, any kind by default)."""
    if name in (".", ".."):
        return [f"may not be '{name}'"]
    return [f"may not contain '{bad}'" for bad in ("/", "%") if bad in name]
