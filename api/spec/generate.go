package spec

//go:generate cp ../../openapi.yaml openapi.yaml
//go:generate npx --no-install redocly build-docs ../../openapi.yaml --config ../../redocly.yaml --inlineBundle --openapi.hidePoweredBy=true -o docs.html
