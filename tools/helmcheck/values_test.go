package helmcheck

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	yaml3 "gopkg.in/yaml.v3"
)

// valuesTree is values.yaml as YAML nodes, comments included.
func valuesTree(t *testing.T) *yaml3.Node {
	t.Helper()
	b, err := os.ReadFile(chartDir + "/values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml3.Node
	if err := yaml3.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

func TestEveryValueIsDocumented(t *testing.T) {
	var walk func(n *yaml3.Node, path string)
	walk = func(n *yaml3.Node, path string) {
		if n.Kind != yaml3.MappingNode {
			return
		}
		for i := 0; i < len(n.Content); i += 2 {
			key, val := n.Content[i], n.Content[i+1]
			p := strings.TrimPrefix(path+"."+key.Value, ".")
			if strings.TrimSpace(key.HeadComment+key.LineComment+val.LineComment) == "" {
				t.Errorf("values.yaml: %s has no comment", p)
			}
			walk(val, p)
		}
	}
	walk(valuesTree(t), "")
}

// TestSchemaDescribesOnlyValues checks that every property values.schema.json
// declares is in values.yaml, so that the schema and the documented values
// are the same set (the schema's additionalProperties: false gives the other
// direction).
func TestSchemaDescribesOnlyValues(t *testing.T) {
	b, err := os.ReadFile(chartDir + "/values.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	var walk func(s map[string]any, n *yaml3.Node, path string)
	walk = func(s map[string]any, n *yaml3.Node, path string) {
		props, _ := s["properties"].(map[string]any)
		for name, sub := range props {
			p := strings.TrimPrefix(path+"."+name, ".")
			v := lookup(n, name)
			if v == nil {
				t.Errorf("values.schema.json declares %s, which values.yaml lacks", p)
				continue
			}
			walk(sub.(map[string]any), v, p)
		}
	}
	walk(schema, valuesTree(t), "")
}

func lookup(n *yaml3.Node, key string) *yaml3.Node {
	if n.Kind != yaml3.MappingNode {
		return nil
	}
	for i := 0; i < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
