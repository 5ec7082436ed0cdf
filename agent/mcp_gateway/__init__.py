"""`k8s-skills mcp`: the skills as an MCP server, the one audited door to a cluster.

Modules, one job each:
  library   the skills on disk: scripts, references (resources), decision trees (prompts)
  runner    runs one skill script (live against the kubeconfig it is given, or on a paste)
  tools     the typed tools: one per diagnosis / manifest / RBAC script, and propose_change
  door      streamable HTTP behind TokenReview + SubjectAccessReview, one audit record a call
  server    the MCPServer (official `mcp` SDK) wired from the above
  cli       `k8s-skills mcp [--transport stdio|http] ...`

Read-only by default: no tool writes to the cluster. The only change path is
propose_change, which stores a Proposal through the agent service's API for a person to
approve there.
"""
