"""Who runs the proactive watcher: the holder of a coordination.k8s.io/v1 Lease, elected
with the Kubernetes client library's own leader election (kubernetes.leaderelection).

A killed leader stops renewing; another replica takes the Lease once `lease_duration`
seconds pass without a renewal it observed. A leader that cannot renew within
`renew_deadline` steps down (on_lose) and campaigns again.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from agent.config import Settings

logging.getLogger("leaderelection").setLevel(logging.WARNING)
log = logging.getLogger("k8s-agent.leader")


class Leadership:
    def __init__(self, settings: Settings, on_lead: Callable[[], None],
                 on_lose: Callable[[], None], stop: threading.Event) -> None:
        self.settings = settings
        self.on_lead = on_lead
        self.on_lose = on_lose
        self.stop = stop

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._campaign, name="leader-election", daemon=True)
        thread.start()
        return thread

    def _campaign(self) -> None:
        from kubernetes.leaderelection import electionconfig, leaderelection
        from kubernetes.leaderelection.resourcelock.leaselock import LeaseLock
        s = self.settings
        while not self.stop.is_set():
            lock = LeaseLock(s.lease_name, s.namespace, s.identity)
            try:  # the library's Config calls sys.exit on bad timings: never in a thread
                config = electionconfig.Config(lock, s.lease_duration, s.renew_deadline,
                                               s.retry_period, self._lead, self.on_lose)
            except SystemExit as err:
                log.error("leader election not started: %s", err)
                return
            try:
                leaderelection.LeaderElection(config).run()
            except (Exception, SystemExit) as err:  # noqa: BLE001 - keep campaigning
                log.warning("leader election: %s; campaigning again", err)
                self.on_lose()
            self.stop.wait(s.retry_period)

    def _lead(self) -> None:
        log.info("%s leads (Lease %s/%s)", self.settings.identity, self.settings.namespace,
                 self.settings.lease_name)
        self.on_lead()
