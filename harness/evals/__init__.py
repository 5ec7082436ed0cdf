"""The scenario eval suite: inject a real fault, let an agent work, score the outcome.

One job per module, used through `cli` (`k8s-skills eval`, `k8s-skills report`):
`scenario` loads and validates scenario folders, `sandbox` isolates a run on the cluster,
`checks` and `safeguards` are the declared-data registries, `agents` are the backends,
`runner` composes them, `scoring` turns outcomes into pass | fail | error, `records`
writes the versioned per-scenario JSON from which `report` rebuilds every report.
"""
