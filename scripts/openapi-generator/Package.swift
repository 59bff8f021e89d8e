// swift-tools-version: 6.0
// The OpenAPI generator, pinned, as a tool: `scripts/generate-api.sh` runs it to make
// Sources/ClientPassAPI/Generated from openapi.yaml (and `--check` in `make test` fails when the
// committed code is stale). Not part of the product's build.
import PackageDescription

let package = Package(
    name: "openapi-generator",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3"),
    ]
)
