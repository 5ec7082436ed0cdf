"""The kit's reader of the API server's validation refusals, on the forms upstream prints.

Each message is built from the format string its source names (the module docstring of
k8s_skillkit.invalid_errors lists them); the forms the local apiserver prints today are also
checked live (tests/live/test_validation_refusals_live.py).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "skills" / "_shared"))

from k8s_skillkit.invalid_errors import fix_for, parse


def test_several_field_errors_in_apimachinerys_aggregate():
    # errors.go NewInvalid: `%s %q is invalid: %v` with utilerrors' "[e1, e2]"
    found = parse('Deployment.apps "web" is invalid: [spec.selector: Invalid value: '
                  'v1.LabelSelector{MatchLabels:map[string]string{"app":"a"}}: field is '
                  'immutable, spec.template.spec.containers[0].name: Required value]')
    assert (found.kind, found.name) == ("Deployment.apps", "web")
    assert [(e.field, e.type) for e in found.errors] == [
        ("spec.selector", "Invalid value"), ("spec.template.spec.containers[0].name",
                                             "Required value")]
    assert found.immutable and "re-create" in fix_for(found)


def test_kubectls_one_line_per_cause_form_ends_at_the_next_paragraph():
    # kubectl helpers.go MultilineError: the prefix, then "* " + each error on its own line
    found = parse('The Deployment "web" is invalid: \n* spec.selector: Required value\n'
                  '* spec.template.metadata.labels: Invalid value: map[string]string{"app":'
                  '"web"}: `selector` does not match template `labels`\n\nThe next paragraph.')
    assert [e.type for e in found.errors] == ["Required value", "Invalid value"]
    assert "next paragraph" not in found.quote
    assert "subset" in fix_for(found)


def test_an_event_message_quoted_inside_json():
    found = parse('{"reason":"FailedCreate","message":"Error creating: Pod \\"x-abc\\" is '
                  'invalid: spec.containers[0].resources.limits: Required value: Limit must '
                  'be set for non overcommitable resources"}')
    assert (found.kind, found.name) == ("Pod", "x-abc")
    assert "limits equal to requests" in fix_for(found)


def test_kubectl_client_side_validation_before_1_25():
    # kube-openapi pkg/util/proto/validation/errors.go: ValidationError(%s): unknown field %q
    found = parse('error: error validating "d.yaml": error validating data: ValidationError('
                  'Deployment.spec.template.spec.containers[0]): unknown field "resource" in '
                  'io.k8s.api.core.v1.Container; if you choose to ignore these errors, turn '
                  'validation off with --validate=false')
    assert found.kind == "Deployment"
    assert [(e.field, e.type) for e in found.errors] == [
        ("spec.template.spec.containers[0].resource", "Unknown field")]
    assert "kubectl explain deployment" in fix_for(found)


def test_a_json_type_error_names_the_field_without_the_go_type():
    found = parse('Deployment in version "v1" cannot be handled as a Deployment: json: cannot '
                  'unmarshal string into Go struct field ContainerPort.spec.template.spec.'
                  'containers.ports.containerPort of type int32')
    assert found.errors[0].field == "spec.template.spec.containers.ports.containerPort"
    assert "type" in fix_for(found)


def test_is_invalid_without_field_errors_and_text_without_a_refusal():
    # errors.go NewInvalid with an empty list prints only `%s %q is invalid`
    found = parse('Pod "p" is invalid')
    assert (found.name, found.errors) == ("p", ())
    assert parse("the pod is invalid somehow") is None
    assert parse('Warning: the field "x" is deprecated') is None
