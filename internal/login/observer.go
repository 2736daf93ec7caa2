package login

import "errors"

// Observer learns what became of each login, for metrics. Its labels stay
// few: tenantID and appID name an account a login transaction or code
// proved to exist (both are empty when the callback named none), and
// outcome is one of the outcomes listed below.
type Observer interface {
	// Login is told the outcome of each callback from WeChat.
	Login(tenantID, appID, outcome string)
	// TokenIssued is told of each token response (a code or a refresh
	// token redeemed) of the token endpoint.
	TokenIssued(tenantID, appID string)
}

// Outcomes of a callback that sent the person back to the tenant.
const (
	outcomeOK       = "ok"       // a new wxlogin code
	outcomeReplayed = "replayed" // a repeated callback got a fresh code for its login
	outcomeRefused  = "refused"  // the person refused in WeChat: access_denied
)

// errorOutcomes name the outcome of a failed callback by its kind; any
// other failure (a database or secret store down) is "error".
var errorOutcomes = []struct {
	kind    error
	outcome string
}{
	{ErrUnknownState, "unknown_state"},
	{ErrUnknownAccount, "unknown_account"},
	{ErrExpired, "expired"},
	{ErrAlreadyUsed, "already_used"},
	{ErrInProgress, "in_progress"},
	{ErrSnapshotUser, "snapshot_user"},
	{ErrCodeRejected, "code_rejected"},
	{ErrWeChatUnavailable, "wechat_error"},
	{ErrMisconfigured, "misconfigured"},
}

// observeLogin tells the Observer the outcome of a callback for tx (the
// transaction its state named, if any): outcome when err is nil, else the
// kind of err.
func (s *Service) observeLogin(tx Transaction, outcome string, err error) {
	if s.Observer == nil {
		return
	}
	if err != nil {
		outcome = "error"
		for _, o := range errorOutcomes {
			if errors.Is(err, o.kind) {
				outcome = o.outcome
				break
			}
		}
	}
	if errors.Is(err, ErrUnknownState) { // the state named another account's login, or none
		tx = Transaction{}
	}
	s.Observer.Login(tx.TenantID, tx.AppID, outcome)
}

func (s *Service) observeToken(tenantID, appID string) {
	if s.Observer != nil {
		s.Observer.TokenIssued(tenantID, appID)
	}
}
