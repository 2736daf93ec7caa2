// Command vault is HashiCorp Vault built from its Go module with the
// "minimal" plugin set (KV v2, AppRole, Transit, userpass). wxlogin's tests
// and local runs start it as a dev server; it is never shipped.
package main

import (
	"os"

	"github.com/hashicorp/vault/command"
)

func main() {
	os.Exit(command.Run(os.Args[1:]))
}
