// Package authlimit counts failed authentications per source address and
// per user name, for every front end of a process (pgwire and REST share
// one Limiter), and refuses further attempts once either count reaches
// its limit within a window.
//
// A success clears nothing: the counts of an address or a user name only
// expire with their window, so that logging in with one's own credential
// does not reset the budget for guessing another's. The Limiter holds no
// credentials and knows nothing of the protocols; callers decide what a
// refusal looks like (HTTP 429, FATAL 28P01).
package authlimit
