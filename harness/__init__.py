"""kubernetes-skills harness: the code behind the `k8s-skills` command."""

__version__ = "0.1.0"
