"""Held-out round 92 (pods-nodes: explain_gpu_failure.py, check_training.py). Expected values
come from the upstream source or the public thread named at each test, never from the script:

- dcgm-exporter before 2.1.2 watched the counters file's fields and ended on a refusal with
  logrus.Fatal (NVIDIA/dcgm-exporter pkg/main.go@f0de73f~1:107-110); the Go bindings wrap DCGM's
  error as "Error watching fields: %s" (bindings/go/dcgm/fields.go@f452488~1:82; NVIDIA/go-dcgm
  "error watching fields: %s"), DCGM's strings for -36 / -33 in dcgm_structs.h@f452488~1:304,300.
  NVIDIA/gpu-monitoring-tools#119 (Quadro P5000, dropping dcp-metrics-included.csv fixed it) and
  #141 (maintainer: DCP metrics loaded by default before 2.1.2) -> the exporter crash loops.
  2.1.2 logs `Not collecting DCP metrics: Error getting supported metrics: ...` at info level
  instead (commit f0de73f pkg/main.go, bindings/go/dcgm/profile.go): no crash.
- libcni "failed to find plugin %q in path %s" (containernetworking/cni pkg/invoke/find.go@
  v1.3.0:47) in the kubelet's FailedCreatePodSandBox on GPU Operator pods: NVIDIA/gpu-operator
  #1577, NVIDIA's known issue for GKE 1.33+ (NVIDIA/cloud-native-docs gpu-operator/
  google-gke.rst@52dcb7b8, #312: the toolkit misconfigures containerd's config.toml) ->
  sandbox_failed, the toolkit's part inferred.
- An uncaught Python exception: the traceback from `<module>` (docs.python.org sys.excepthook,
  "just before the program exits"), then exit status 1: kubeflow/kubeflow#3935's parameter
  server -> training_failed.
"""
from __future__ import annotations

from .conftest import loud, paste_findings, run_script

GPU = "explain_gpu_failure.py"
TRAINING = "check_training.py"

# ---- dcgm-exporter: DCGM refuses the profiling fields ---------------------------------------

# NVIDIA/gpu-monitoring-tools#119 as pasted
DCGM_119 = """\
time="2020-10-27T00:53:32Z" level=info msg="Starting dcgm-exporter"
time="2020-10-27T00:53:32Z" level=info msg="DCGM successfully initialized!"
time="2020-10-27T00:53:32Z" level=fatal msg="Error watching fields: Profiling is not supported for this group of GPUs or GPU"
"""

# NVIDIA/gpu-monitoring-tools#141 as pasted
DCGM_141 = """\
time="2020-12-15T11:28:40Z" level=info msg="Starting dcgm-exporter"
time="2020-12-15T11:28:40Z" level=info msg="DCGM successfully initialized!"
time="2020-12-15T11:28:40Z" level=fatal msg="Error watching fields: This request is serviced by a module of DCGM that is not currently loaded"
"""

# the same refusal from logrus's JSONFormatter (logrus.go: "level":"fatal") with go-dcgm's
# lowercase wrapper
DCGM_JSON = ('{"level":"fatal","msg":"error watching fields: Profiling is not supported for '
             'this group of GPUs or GPU","time":"2024-03-01T10:00:00Z"}\n')

# 2.1.2+: the exporter asks first and drops the DCP fields (commit f0de73f), an info line
DCGM_212 = """\
time="2021-02-16T10:00:00Z" level=info msg="DCGM successfully initialized!"
time="2021-02-16T10:00:00Z" level=info msg="Not collecting DCP metrics: Error getting supported metrics: Profiling is not supported for this group of GPUs or GPU"
time="2021-02-16T10:00:00Z" level=info msg="Starting webserver"
"""

# another DCGM error after "watching fields" (DCGM_ST_CONNECTION_NOT_VALID's string,
# dcgm_structs.h): not about the profiling fields
DCGM_OTHER = ('time="2021-01-05T10:00:00Z" level=fatal msg="Error watching fields: The '
              'connection to the host engine is not valid any longer"\n')


def test_dcgm_profiling_unsupported_held_out_is_a_crash_loop():
    first = loud(paste_findings(GPU, DCGM_119))[0]
    assert first["cause"] == "crash_loop"
    assert first["basis"] == "reported"
    assert "datacenter GPUs only" in first["message"]
    assert "dcp-metrics-included.csv" in first["fix"] and "2.1.2" in first["fix"]


def test_dcgm_module_not_loaded_held_out_is_a_crash_loop_with_the_link_inferred():
    first = loud(paste_findings(GPU, DCGM_141))[0]
    assert first["cause"] == "crash_loop"
    assert "inferred: the module is most likely DCGM's profiling module" in first["message"]
    assert "dcp-metrics-included.csv" in first["confirm"]


def test_dcgm_refusal_in_json_with_the_lowercase_wrapper_is_read_alike():
    assert loud(paste_findings(GPU, DCGM_JSON))[0]["cause"] == "crash_loop"


def test_dcgm_exporter_skipping_dcp_metrics_is_no_crash():
    assert "crash_loop" not in [f["cause"] for f in loud(paste_findings(GPU, DCGM_212))]


def test_another_dcgm_watch_error_is_not_read_as_the_profiling_fields():
    found = paste_findings(GPU, DCGM_OTHER)
    assert not any("profiling" in f["message"] for f in found)


# ---- a CNI plugin not found on GPU Operator pods ------------------------------------------

# NVIDIA/gpu-operator#1577 as pasted (a commenter's describe events and pod table)
GKE_1577 = """\
  Warning  FailedCreatePodSandBox  3m52s (x83 over 21m)  kubelet            (combined from similar events): Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "23e4d7d1231cfa104f88d77c755f4f9c8d2579a8ad81c7353dc20c791056234e": plugin type="gke" failed (add): failed to find plugin "gke" in path [/opt/cni/bin]

 kubectl get pods -n nvidia
NAME                                                         READY   STATUS     RESTARTS   AGE
gpu-feature-discovery-gt9rx                                  0/1     Init:0/1   0          20m
gpu-operator-5798b5b564-9fxlv                                1/1     Running    0          21m
gpu-operator-node-feature-discovery-worker-5z6jj             1/1     Running    0          21m
"""

# the kubelet's event in `kubectl get events` form for the device plugin, another plugin name
PLUGIN_EVENT = (
    "LAST SEEN   TYPE      REASON                   OBJECT                                   "
    "MESSAGE\n"
    "2m          Warning   FailedCreatePodSandBox   pod/nvidia-device-plugin-daemonset-x7k2p   "
    "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network "
    "for sandbox \"5b1c\": failed to find plugin \"bridge\" in path [/opt/cni/bin]\n")

# the same CNI line on a pod with nothing of the NVIDIA stack in the paste
PLAIN_EVENT = PLUGIN_EVENT.replace("nvidia-device-plugin-daemonset-x7k2p", "web-7d9f8-abcde")

# a GPU pod's sandbox failing for another CNI reason (Calico's datastore, plugin.go@v3.32.1:86)
CALICO_GPU = (
    "  Warning  FailedCreatePodSandBox  1m  kubelet  Failed to create pod sandbox: rpc error: "
    "code = Unknown desc = failed to setup network for sandbox \"9f0e\": plugin "
    "type=\"calico\" failed (add): error getting ClusterInformation: connection is "
    "unauthorized: Unauthorized\n"
    "pod nvidia-dcgm-exporter-abcde in namespace gpu-operator\n")


def test_gpu_operator_pods_without_their_cni_plugin_held_out_is_sandbox_failed():
    first = loud(paste_findings(GPU, GKE_1577))[0]
    assert first["cause"] == "sandbox_failed"
    assert first["basis"] == "reported"  # the kubelet's event
    assert "inferred: on a GPU node the NVIDIA container toolkit rewrites" in first["message"]
    assert "RUNTIME_CONFIG_SOURCE=file" in first["fix"]
    assert "bin_dir" in first["confirm"]


def test_device_plugin_event_table_form_gets_the_toolkit_link():
    first = loud(paste_findings(GPU, PLUGIN_EVENT))[0]
    assert first["cause"] == "sandbox_failed"
    assert "NVIDIA container toolkit" in first["message"]


def test_a_missing_cni_plugin_without_the_nvidia_stack_gets_no_toolkit_link():
    found = loud(paste_findings(GPU, PLAIN_EVENT))
    assert found and found[0]["cause"] == "sandbox_failed"
    assert "toolkit" not in found[0]["message"]


def test_another_cni_failure_on_a_gpu_pod_gets_no_toolkit_link():
    found = loud(paste_findings(GPU, CALICO_GPU))
    assert found and found[0]["cause"] == "sandbox_failed"
    assert "toolkit" not in found[0]["message"]


# ---- a replica's Python traceback -----------------------------------------------------------

# kubeflow/kubeflow#3935 as pasted (cut at the urlretrieve_with_retry frame)
TF_PS_3935 = """\
k logs -f distributed-tensorflow-job-ps-1 tensorflow
/usr/local/lib/python2.7/dist-packages/h5py/__init__.py:36: FutureWarning: Conversion of the second argument of issubdtype from `float` to `np.floating` is deprecated. In future, it will be treated as `np.float64 == np.dtype(float).type`.
  from ._conv import register_converters as _register_converters
Traceback (most recent call last):
  File "/var/tf_dist_mnist/dist_mnist.py", line 303, in <module>
    tf.app.run()
  File "/usr/local/lib/python2.7/dist-packages/tensorflow/python/platform/app.py", line 124, in run
    _sys.exit(main(argv))
  File "/var/tf_dist_mnist/dist_mnist.py", line 110, in main
    mnist = input_data.read_data_sets(FLAGS.data_dir, one_hot=True)
  File "/usr/local/lib/python2.7/dist-packages/tensorflow/contrib/learn/python/learn/datasets/base.py", line 208, in maybe_download
    temp_file_name, _ = urlretrieve_with_retry(source_url)
"""

# a Python 3 replica's whole traceback, with the exception line, next to its pod's containers
# (istio-proxy injected)
PY3_ISTIO = """\
$ kubectl get pod mnist-worker-0 -o jsonpath='{.spec.containers[*].name}'
pytorch istio-proxy
$ kubectl logs mnist-worker-0 -c pytorch
Traceback (most recent call last):
  File "/opt/mnist/main.py", line 150, in <module>
    main()
  File "/opt/mnist/main.py", line 98, in main
    datasets.MNIST("../data", train=True, download=True)
  File "/usr/lib/python3.10/urllib/request.py", line 1351, in urlopen
    raise URLError(err)
urllib.error.URLError: <urlopen error [Errno 111] Connection refused>
"""

# traceback.print_exc() inside a handler: the stack starts at the handler's frame, the program
# goes on (Lib/traceback.py print_exc)
CAUGHT = """\
Traceback (most recent call last):
  File "/opt/app/loader.py", line 40, in fetch
    return urlopen(url).read()
urllib.error.URLError: <urlopen error timed out>
retrying in 5s
"""

# sys.exit() raising SystemExit is no exception handler's traceback (sys.excepthook is not
# called for it, docs.python.org sys.excepthook): a traceback of it is not read as a failure
SYSTEM_EXIT = """\
Traceback (most recent call last):
  File "/opt/app/main.py", line 10, in <module>
    sys.exit(0)
SystemExit: 0
"""


def test_tf_parameter_server_traceback_held_out_is_training_failed():
    first = loud(paste_findings(TRAINING, TF_PS_3935))[0]
    assert first["cause"] == "training_failed"
    assert first["basis"] == "reported"
    assert "the paste ends before the exception line" in first["evidence"]
    assert "istio" not in first["message"].lower()  # the paste does not show Istio


def test_py3_traceback_in_an_istio_injected_pod_gets_the_sidecar_link_inferred():
    first = loud(paste_findings(TRAINING, PY3_ISTIO))[0]
    assert first["cause"] == "training_failed"
    assert "inferred: the pod runs in an Istio-injected namespace" in first["message"]
    assert "sidecar.istio.io/inject" in first["fix"]
    assert any("URLError" in e for e in first["evidence"])


def test_a_caught_exception_printed_from_its_handler_is_not_training_failed():
    assert "training_failed" not in _loud_causes(CAUGHT)


def test_a_system_exit_traceback_is_not_training_failed():
    assert "training_failed" not in _loud_causes(SYSTEM_EXIT)


def _loud_causes(text: str) -> list[str]:
    """check_training's error/warning causes for a paste; none when it refuses the paste
    (exit 2: no training object and nothing it reads), never a traceback."""
    res = run_script(TRAINING, "-f", "-", "--json", stdin=text)
    assert res.code in (0, 1, 2) and "Traceback" not in res.err, res.err
    return [f["cause"] for f in loud(res.doc["findings"])] if res.code in (0, 1) else []
