package client

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Operation is one operation of the OpenAPI document, as the client
// needs it.
type Operation struct {
	ID     string
	Method string
	// Path is the document's path template, e.g. /v1/jobs/{id}.
	Path string
	// PathParams, QueryParams and HeaderParams are the names of the
	// operation's parameters by where they go.
	PathParams   []string
	QueryParams  map[string]bool
	HeaderParams map[string]bool
	// Workspace is true when the operation acts in a workspace
	// (X-Workspace-Id).
	Workspace bool
	// JSONBody is true when the body is a JSON object; BodyFields and
	// BodyRequired then list its properties. RawBody is true when the body
	// is the bytes of a file.
	JSONBody     bool
	RawBody      bool
	BodyFields   map[string]bool
	BodyRequired []string
}

// Spec is the set of operations of one OpenAPI document.
type Spec struct {
	ops map[string]*Operation
}

// ParseSpec reads an OpenAPI 3.1 document.
func ParseSpec(doc []byte) (*Spec, error) {
	var d struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Parameters    map[string]parameter       `json:"parameters"`
			Schemas       map[string]schema          `json:"schemas"`
			RequestBodies map[string]json.RawMessage `json:"requestBodies"`
		} `json:"components"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("reading the OpenAPI document: %w", err)
	}
	s := &Spec{ops: map[string]*Operation{}}
	for path, item := range d.Paths {
		var shared []parameter
		if raw, ok := item["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				return nil, fmt.Errorf("parameters of %s: %w", path, err)
			}
		}
		for method, raw := range item {
			switch method {
			case "get", "post", "put", "patch", "delete":
			default:
				continue
			}
			var o struct {
				ID          string      `json:"operationId"`
				Parameters  []parameter `json:"parameters"`
				RequestBody *struct {
					Content map[string]struct {
						Schema schema `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
			}
			if err := json.Unmarshal(raw, &o); err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
			op := &Operation{ID: o.ID, Method: strings.ToUpper(method), Path: path,
				QueryParams: map[string]bool{}, HeaderParams: map[string]bool{}}
			for _, p := range append(append([]parameter{}, shared...), o.Parameters...) {
				if p.Ref != "" {
					p = d.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
				}
				switch p.In {
				case "path":
					op.PathParams = append(op.PathParams, p.Name)
				case "query":
					op.QueryParams[p.Name] = true
				case "header":
					op.HeaderParams[p.Name] = true
					if p.Name == "X-Workspace-Id" {
						op.Workspace = true
					}
				}
			}
			if o.RequestBody != nil {
				for ct, c := range o.RequestBody.Content {
					if ct != "application/json" {
						op.RawBody = true
						continue
					}
					sc := c.Schema.resolve(d.Components.Schemas)
					op.JSONBody = true
					op.BodyFields = map[string]bool{}
					for name := range sc.Properties {
						op.BodyFields[name] = true
					}
					op.BodyRequired = sc.Required
				}
			}
			s.ops[op.ID] = op
		}
	}
	return s, nil
}

type parameter struct {
	Ref  string `json:"$ref"`
	Name string `json:"name"`
	In   string `json:"in"`
}

type schema struct {
	Ref        string                     `json:"$ref"`
	Properties map[string]json.RawMessage `json:"properties"`
	Required   []string                   `json:"required"`
}

func (s schema) resolve(all map[string]schema) schema {
	for i := 0; s.Ref != "" && i < 8; i++ {
		s = all[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
	}
	return s
}

// Operation returns the operation with the id, or nil.
func (s *Spec) Operation(id string) *Operation { return s.ops[id] }

// IDs lists every operationId, sorted.
func (s *Spec) IDs() []string {
	ids := make([]string, 0, len(s.ops))
	for id := range s.ops {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
