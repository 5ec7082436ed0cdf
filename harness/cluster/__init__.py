"""The scenario cluster: providers (local real binaries, kubeconfig, kind) and their setup."""
