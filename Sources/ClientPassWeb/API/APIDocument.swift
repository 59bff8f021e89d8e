/// The OpenAPI document (API/openapi.yaml, compiled in): the contract the API's server side is
/// generated from, and what `GET /api/v1/openapi.yaml` serves.
enum APIDocument {
    static let yaml = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)
}
