// Package egress decides which network addresses connectors may reach
// and dials them: one Dialer, used by every connector, resolves a host
// name, checks every address it resolves to against a Policy, and only
// then connects, to that checked address (so a name that later resolves
// elsewhere, DNS rebinding, is checked again at each dial).
//
// It must not log or return what answered at a refused address: a
// DeniedError names the destination only.
package egress
