package connectors

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/extensions"
)

// JSONType is the Arrow type of a JSON column: text with the JSON
// extension type, so that Parquet marks the column JSON and the engine
// reads it as JSON.
func JSONType() arrow.DataType {
	t, err := extensions.NewJSONType(arrow.BinaryTypes.String)
	if err != nil {
		panic(err) // a string storage type is always valid
	}
	return t
}
