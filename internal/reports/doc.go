// Package reports answers a tenant's questions about the people behind its
// official accounts. A person is a unionid: the same person has a different
// openid in each account and, once the accounts are bound to one Open
// Platform, the same unionid in all of them. An identity without a unionid
// counts as a person of its own.
//
// Reports are read-only aggregates. The Store computes each one in the
// database over indexed columns; nothing here walks identities or login
// events row by row. Every report is scoped to one tenant and never counts
// another tenant's rows. The conformance suite in reportstest holds every
// backend to the same numbers.
package reports
