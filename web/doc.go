// Package web serves the console: a React app (sources in src/, built
// by `npm run build` into dist/ with Vite) embedded in the binary, so a
// control process serves it at / without Node at run time. The app calls
// only the public /v1 API, through a client generated from
// /v1/openapi.json. See docs/console.md and docs/architecture.md.
package web
