"""The live tests here use the same session cluster as tests/live (one per pytest session)."""
from tests.live.conftest import kubeconfig, kubectl_env, live_cluster  # noqa: F401
