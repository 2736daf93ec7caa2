package tenants

import (
	"regexp"
	"time"
)

// Tenant is a company using wxlogin. Its ID is a short slug that appears in
// every URL of its hosted login (/t/{id}/…) and in the JWT issuer.
type Tenant struct {
	ID       string
	Name     string
	Disabled bool
	// TimeZone is the IANA name of the tenant's time zone: its reports'
	// days and its console's dates follow it.
	TimeZone  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DefaultTimeZone is a tenant's time zone unless it names another.
const DefaultTimeZone = "Asia/Shanghai"

var tenantIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)

// withDefaults fills in the time zone a tenant created without one has.
func (t Tenant) withDefaults() Tenant {
	if t.TimeZone == "" {
		t.TimeZone = DefaultTimeZone
	}
	return t
}

// Validate checks the tenant's fields.
func (t Tenant) Validate() error {
	switch {
	case !tenantIDPattern.MatchString(t.ID):
		return Invalid("id", "3 to 63 lower-case letters, digits or '-', not starting or ending with '-'")
	case t.Name == "" || len(t.Name) > 200:
		return Invalid("name", "1 to 200 characters")
	}
	if _, err := LoadTimeZone(t.TimeZone); err != nil {
		return err
	}
	return nil
}

// LoadTimeZone returns the location of an IANA time zone name such as
// Asia/Shanghai or UTC. The empty name and "Local", which time.LoadLocation
// takes for UTC and the machine's own zone, are refused: a tenant's zone
// must not depend on where wxlogin runs.
func LoadTimeZone(name string) (*time.Location, error) {
	invalid := Invalid("time_zone", "an IANA time zone name such as Asia/Shanghai")
	if name == "" || name == "Local" || len(name) > 64 {
		return nil, invalid
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, invalid
	}
	return loc, nil
}
