package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/hotdata-dev/hotdata/internal/metrics"
	"github.com/hotdata-dev/hotdata/workspace"
)

// maxJSONBody bounds JSON request bodies.
const maxJSONBody = "10M"

// Server holds the handlers' dependencies.
type Server struct {
	svc     *workspace.Service
	log     *slog.Logger
	limiter AuthLimiter
}

// AuthLimiter counts failed authentications per source address and user
// (for REST: the token's prefix), shared with pgwire.
type AuthLimiter interface {
	// Check reports whether an attempt may go on, and if not, when to
	// retry; it is asked before the token is looked up.
	Check(addr, user string) (retryAfter time.Duration, ok bool)
	// Failure counts a failure; the delay it returns is for protocols
	// that hold the connection, and REST does not wait.
	Failure(addr, user string) time.Duration
}

// New returns the HTTP handler of the REST API; limiter may be nil (no
// limit on failed authentications).
func New(svc *workspace.Service, log *slog.Logger, limiter AuthLimiter) *echo.Echo {
	s := &Server{svc: svc, log: log, limiter: limiter}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.Recover())
	e.Use(s.requestLog)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metrics)         // no token: process-wide numbers only
	e.GET("/v1/openapi.json", s.openAPI) // no token: openapi.go

	v1 := e.Group("/v1", middleware.BodyLimit(maxJSONBody), s.authenticate)
	v1.GET("/workspaces", s.listWorkspaces)

	ws := v1.Group("", s.scopeWorkspace)
	ws.POST("/secrets", s.createSecret)
	ws.POST("/connections", s.createConnection)
	ws.POST("/connections/test", s.testConnection)
	ws.GET("/information_schema", s.informationSchema)
	ws.POST("/query", s.query)
	ws.POST("/refresh", s.refresh)
	ws.GET("/jobs", s.listJobs)
	ws.GET("/cdc", s.listChangeStreams)
	ws.GET("/jobs/:id", s.getJob)
	ws.GET("/connections/:id/health", s.connectionHealth)
	ws.DELETE("/connections/:id/cache", s.purgeConnectionCache)
	ws.DELETE("/connections/:id/tables/:schema/:table/cache", s.purgeTableCache)
	ws.PUT("/connections/:id/tables/:schema/:table/policy", s.setTablePolicy)
	ws.GET("/connections/:id/tables/:schema/:table/profile", s.profileTable)
	s.resultRoutes(ws)     // query runs and results: results.go
	s.datasetRoutes(e, ws) // uploads and datasets: datasets.go
	s.savedQueryRoutes(ws) // saved queries: queries.go
	// Organizations, members, tokens, workspaces, secrets, connections: workspaces.go.
	s.managementRoutes(v1, ws)
	return e
}

// handleError writes every error in the one JSON shape.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	ae := toAPIError(err)
	if ae.Status >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
	}
	if ae.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(ae.RetryAfter))
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(ae.Status)
		return
	}
	_ = c.JSON(ae.Status, errorBody{Error: errorDetail{Code: ae.Code, Message: ae.Message}})
}

func (s *Server) requestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		status := c.Response().Status
		if err != nil {
			status = toAPIError(err).Status
		}
		s.log.Debug("http request", "method", c.Request().Method, "path", c.Request().URL.Path, "status", status,
			"duration", time.Since(start).Round(time.Microsecond))
		return err
	}
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"ok": true})
}

func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.svc.Ready(ctx); err != nil {
		return &apiError{Status: http.StatusServiceUnavailable, Code: "NOT_READY", Message: err.Error(), RetryAfter: 5}
	}
	return c.JSON(http.StatusOK, map[string]any{"ok": true})
}

// metrics serves the process's Prometheus metrics (package metrics).
func (s *Server) metrics(c echo.Context) error {
	metrics.Handler().ServeHTTP(c.Response(), c.Request())
	return nil
}
