"""The in-cluster SRE agent service: Claude with the skills, behind Kubernetes auth.

Modules, one job each:
  config     settings from flags / environment (mode, backend, limits, watcher)
  backends   the Claude backend switches (Anthropic API, Bedrock, Vertex) for the CLI
  kube       API clients for one identity (kubeconfig or in-cluster)
  auth       TokenReview + SubjectAccessReview on the service's API group
  store      Proposals, Conversations and Findings as custom resources (state in the cluster)
  policy     the PreToolUse decision: kubectl and the skill scripts only, the guard enforced
  session    one Claude Agent SDK session answering one question, as a stream of events
  api        the FastAPI application (ask as SSE, conversations, proposals, health, metrics)
  applier    applies approved proposals with its own narrow identity, verifies, audits
  leader     the coordination.k8s.io Lease that elects the watcher's leader
  informer   one shared list+watch cache per resource
  watcher    the proactive watcher (leader only): skills' diagnoses, debounced findings
  audit      JSON Lines audit records and Kubernetes Events
  specialists the orchestrator and its three specialists, defined once (SDK agents + the
             plugin's agents/*.md)
  slack      the Slack ChatOps front door (`k8s-skills agent slack`; its own package)
  cli        `k8s-skills agent serve|applier|ask|proposals|approve|reject|chart|slack`
"""

API_GROUP = "agent.k8s-skills.io"
API_VERSION = "v1alpha1"
