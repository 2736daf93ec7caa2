package gen

//go:generate go tool oapi-codegen -config server.cfg.yaml ../../openapi.yaml
//go:generate go tool oapi-codegen -config client.cfg.yaml ../../openapi.yaml
