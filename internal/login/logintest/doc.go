// Package logintest is the conformance suite of login.Store, run by each
// backend's tests against a real database. Identities and login events are
// written by CompleteLogin, so this suite also covers the tenants.Store
// methods that read them (GetIdentity, ListIdentities, LoginEvents).
//
// Transaction and Completion build the suite's values; backends' benchmarks
// use them too.
package logintest
