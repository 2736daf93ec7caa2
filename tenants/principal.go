package tenants

// PrincipalKind says what a Principal is.
type PrincipalKind string

const (
	// PrincipalAPIKey is an API key, sent as a Bearer credential or through
	// the console session it opened.
	PrincipalAPIKey PrincipalKind = "api_key"
	// PrincipalBinding is a person who signed in to the console with
	// WeChat, acting through one of their console bindings.
	PrincipalBinding PrincipalKind = "console_binding"
)

// Principal is who calls the admin API. Both kinds have one role in one
// tenant (an operator key in none), so that the API authorizes, rate
// limits and audits them alike.
type Principal struct {
	Kind PrincipalKind
	// ID is the API key's ID or the binding's.
	ID string
	// TenantID is empty for the operator.
	TenantID string
	Role     Role
	// Name is the key's or the binding's name.
	Name string
}

// Principal is the key as a caller of the API.
func (k APIKey) Principal() Principal {
	return Principal{Kind: PrincipalAPIKey, ID: k.ID, TenantID: k.TenantID, Role: k.Role, Name: k.Name}
}

// Principal is the binding as a caller of the API.
func (b ConsoleBinding) Principal() Principal {
	return Principal{Kind: PrincipalBinding, ID: b.ID, TenantID: b.TenantID, Role: b.Role, Name: b.Name}
}
