// Dumps the flags of every kubectl command (name, shorthand, whether it takes a value,
// its NoOptDefVal) as JSON, from the pinned k8s.io/kubectl module. Built and run by
// harness/safety/kubectl_flags.py; the guard reads the result to parse kubectl lines
// exactly as cobra and pflag do.
package main

import (
	"encoding/json"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/component-base/logs"
	"k8s.io/kubectl/pkg/cmd"
)

type flag struct {
	Name    string `json:"name"`
	Short   string `json:"short,omitempty"`
	Type    string `json:"type"`
	NoOpt   string `json:"noopt,omitempty"`
	Persist bool   `json:"persistent,omitempty"`
}

type command struct {
	Path    string   `json:"path"`
	Aliases []string `json:"aliases,omitempty"`
	Flags   []flag   `json:"flags"`
	Subs    []string `json:"subs,omitempty"`
}

func walk(c *cobra.Command, out *[]command) {
	var fl []flag
	persistent := map[string]bool{}
	c.PersistentFlags().VisitAll(func(f *pflag.Flag) { persistent[f.Name] = true })
	c.LocalFlags().VisitAll(func(f *pflag.Flag) {
		fl = append(fl, flag{f.Name, f.Shorthand, f.Value.Type(), f.NoOptDefVal, persistent[f.Name]})
	})
	var subs []string
	for _, s := range c.Commands() {
		subs = append(subs, s.Name())
	}
	*out = append(*out, command{c.CommandPath(), c.Aliases, fl, subs})
	for _, s := range c.Commands() {
		walk(s, out)
	}
}

func main() {
	root := cmd.NewKubectlCommand(cmd.KubectlOptions{
		Arguments: []string{"kubectl"},
		IOStreams: genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr},
	})
	// cmd/kubectl's main adds klog's flags (-v, --vmodule, --log-flush-frequency) and
	// cobra adds --help when it runs.
	logs.AddFlags(root.PersistentFlags())
	root.InitDefaultHelpFlag()
	var out []command
	walk(root, &out)
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		os.Exit(1)
	}
}
