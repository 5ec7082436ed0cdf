"""Turn the repo's `skills/` folders into self-contained bundles and ship them.

One module per channel: `build` (dist/ folders and zips), `install` (Claude Code skill
folders), `upload` (the Skills API), `catalog` (CATALOG.md); `cli` wires them into
`k8s-skills skills ...`.
"""
