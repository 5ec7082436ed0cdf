"""Slack ChatOps: a front door to the agent service (issue 18).

`/k8s <question>` and @-mentions are answered in a thread with the skills' evidence and the
answer; proposals come with Approve / Reject buttons. The app holds no Kubernetes rights of
its own beyond impersonation: it calls the agent service's API with its own ServiceAccount
token and `Impersonate-User: <the person's Kubernetes name>`, so the service's
SubjectAccessReviews decide, for that person, who may ask and who may approve. A Slack user
with no entry in the identity ConfigMap is refused before anything is asked.

Modules, one job each:
  identities  Slack user ID -> Kubernetes username (a ConfigMap, re-read every few seconds)
  redact      secrets never leave: every string sent to Slack's Web API is redacted
  blocks      Block Kit messages: the answer, folded evidence, proposals with buttons
  app         the Bolt app: the /k8s command, app mentions, the two buttons
  serve       HTTP mode (signed requests, Starlette + uvicorn) and Socket Mode
"""
