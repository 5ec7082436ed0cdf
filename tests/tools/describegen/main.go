// describegen prints `kubectl describe` of each object in a YAML stream with kubectl's own
// describers (k8s.io/kubectl v0.37.2 pkg/describe: DescriberFor for built-in kinds,
// GenericDescriberFor for the rest) against a stub API server that serves the objects and no
// events. It produces the tests/resources/pastes/kubectl-v0.37.2/*-described.txt fixtures:
//
//	cd tests/tools/describegen && go run . < ../../resources/pastes/kubectl-v0.37.2/core-objects.yaml
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/rest"
	"k8s.io/kubectl/pkg/describe"
)

func main() {
	objects := map[string][]byte{}
	var order []*unstructured.Unstructured
	decoder := utilyaml.NewYAMLOrJSONDecoder(bufio.NewReader(os.Stdin), 4096)
	for {
		var raw map[string]interface{}
		if err := decoder.Decode(&raw); err == io.EOF {
			break
		} else if err != nil {
			panic(err)
		}
		if raw == nil {
			continue
		}
		u := &unstructured.Unstructured{Object: raw}
		data, _ := json.Marshal(raw)
		objects[u.GetName()] = data
		order = append(order, u)
	}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		if strings.HasSuffix(r.URL.Path, "/events") || parts[len(parts)-1] == "events" {
			w.Write([]byte(`{"kind":"EventList","apiVersion":"v1","items":[]}`))
			return
		}
		if data, ok := objects[parts[len(parts)-1]]; ok && !strings.Contains(r.URL.Path, "/leases/") {
			w.Write(data)
			return
		}
		if strings.Contains(r.URL.Path, "/leases/") {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}`))
			return
		}
		w.Write([]byte(`{"kind":"List","apiVersion":"v1","items":[]}`))
	}))
	defer server.Close()
	config := &rest.Config{Host: server.URL}
	for _, u := range order {
		gvk := u.GroupVersionKind()
		plural := strings.ToLower(gvk.Kind) + "s"
		if strings.HasSuffix(strings.ToLower(gvk.Kind), "s") {
			plural = strings.ToLower(gvk.Kind) + "es"
		}
		mapping := &meta.RESTMapping{
			Resource:         schema.GroupVersionResource{Group: gvk.Group, Version: gvk.Version, Resource: plural},
			GroupVersionKind: gvk,
			Scope:            meta.RESTScopeNamespace,
		}
		if u.GetNamespace() == "" {
			mapping.Scope = meta.RESTScopeRoot
		}
		d, ok := describe.DescriberFor(gvk.GroupKind(), config)
		if !ok {
			d, ok = describe.GenericDescriberFor(mapping, config)
		}
		if !ok {
			panic("no describer")
		}
		out, err := d.Describe(u.GetNamespace(), u.GetName(), describe.DescriberSettings{ShowEvents: true})
		if err != nil {
			panic(err)
		}
		fmt.Print(out)
		fmt.Println()
	}
}
