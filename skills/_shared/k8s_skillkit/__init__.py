"""Helpers shared by every skill's scripts: standard library and PyYAML only.

This folder lives once in the repo (skills/_shared/); `k8s-skills skills build` copies it
next to each bundle's scripts so an uploaded skill is self-contained.
"""

SCHEMA_VERSION = 1
