// Package hdtest starts a real Hotdata process (control plane with REST
// and pgwire, on ports chosen by the kernel) for tests, with helpers to
// register an upstream PostgreSQL database and to reach the process from
// clients. It is for tests only.
package hdtest
