package tenants

import (
	"regexp"
	"time"
)

// Tenant is a company using wxlogin. Its ID is a short slug that appears in
// every URL of its hosted login (/t/{id}/…) and in the JWT issuer.
type Tenant struct {
	ID        string
	Name      string
	Disabled  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

var tenantIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)

// Validate checks the tenant's fields.
func (t Tenant) Validate() error {
	switch {
	case !tenantIDPattern.MatchString(t.ID):
		return Invalid("id", "3 to 63 lower-case letters, digits or '-', not starting or ending with '-'")
	case t.Name == "" || len(t.Name) > 200:
		return Invalid("name", "1 to 200 characters")
	}
	return nil
}
