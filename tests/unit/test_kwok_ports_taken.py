"""A control-plane component restarted after it exited gets a free port when another process
took its own meanwhile (the clean-clone CI saw `bind: address already in use`)."""
from __future__ import annotations

import socket

import yaml

from harness.cluster import procs
from harness.cluster.local import move_off_taken_ports


def _config(kcm_port: int, scheduler_port: int) -> list[dict]:
    def component(name: str, port: int) -> dict:
        return {"name": name, "binary": f"/bin/{name}",
                "args": ["--bind-address=0.0.0.0", f"--secure-port={port}", "--v=2"],
                "ports": [{"name": "https", "port": port, "protocol": "TCP"}]}
    return [{"kind": "KwokctlConfiguration",
             "options": {"kubeControllerManagerPort": kcm_port,
                         "kubeSchedulerPort": scheduler_port},
             "components": [component("kube-controller-manager", kcm_port),
                            component("kube-scheduler", scheduler_port)]},
            {"kind": "KwokConfiguration", "options": {}}]


def test_a_taken_port_moves_and_a_free_one_stays(tmp_path):
    with socket.socket() as holder:
        holder.bind(("0.0.0.0", 0))
        holder.listen()
        taken, free = holder.getsockname()[1], procs.free_port()
        (tmp_path / "kwok.yaml").write_text(yaml.safe_dump_all(_config(taken, free)))
        moved = move_off_taken_ports(tmp_path, ["kube-controller-manager", "kube-scheduler"])
    docs = list(yaml.safe_load_all((tmp_path / "kwok.yaml").read_text()))
    kcm, scheduler = docs[0]["components"]
    assert list(moved) == ["kube-controller-manager"] and moved["kube-controller-manager"] != taken
    new = moved["kube-controller-manager"]
    assert f"--secure-port={new}" in kcm["args"] and kcm["ports"][0]["port"] == new
    assert docs[0]["options"]["kubeControllerManagerPort"] == new
    assert f"--secure-port={free}" in scheduler["args"]
    assert docs[1] == {"kind": "KwokConfiguration", "options": {}}


def test_a_component_that_did_not_exit_keeps_its_port(tmp_path):
    with socket.socket() as holder:
        holder.bind(("0.0.0.0", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        (tmp_path / "kwok.yaml").write_text(yaml.safe_dump_all(_config(taken, taken)))
        moved = move_off_taken_ports(tmp_path, ["kube-scheduler"])
    kcm, scheduler = next(yaml.safe_load_all((tmp_path / "kwok.yaml").read_text()))["components"]
    assert list(moved) == ["kube-scheduler"]
    assert f"--secure-port={taken}" in kcm["args"]  # running on it: its own port
    assert f"--secure-port={moved['kube-scheduler']}" in scheduler["args"]
