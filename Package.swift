// swift-tools-version:6.0
import PackageDescription

// The tests' own code is compiled without optimisation in every configuration: `make test`
// builds in release mode (the packages hold the objects the tests ran), where optimising the
// test targets would cost minutes and test nothing of the product.
let testCode: [SwiftSetting] = [.unsafeFlags(["-Onone"])]

let package = Package(
    name: "clientpass",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "clientpass", targets: ["clientpass"]),
        .executable(name: "clientpass-bench", targets: ["ClientPassBench"]),
        .executable(name: "clientpass-fuzz", targets: ["ClientPassFuzz"]),
        .library(name: "ClientPassCore", targets: ["ClientPassCore"]),
        .library(name: "ClientPassPostgreSQL", targets: ["ClientPassPostgreSQL"]),
        .library(name: "ClientPassEdge", targets: ["ClientPassEdge"]),
        .library(name: "ClientPassWeb", targets: ["ClientPassWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", exact: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", exact: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", exact: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        // QR codes for the page's set-up links (Debian libqrencode-dev).
        .systemLibrary(
            name: "CQRencode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        // Signing Mail profiles (CMS) with the configured certificate (Debian libssl-dev).
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // libxcrypt's crypt_r, for the mailbox password hashes an import brings from a mail
        // server ({SHA512-CRYPT}, {BLF-CRYPT}…) until their first login (Debian libcrypt-dev).
        .systemLibrary(
            name: "CCrypt",
            pkgConfig: "libxcrypt",
            providers: [.apt(["libcrypt-dev"])]
        ),
        // OpenLDAP's libldap, for directory mode (Debian libldap-dev).
        .systemLibrary(
            name: "CLDAP",
            pkgConfig: "ldap",
            providers: [.apt(["libldap-dev"])]
        ),
        .target(
            name: "ClientPassCore",
            dependencies: [
                "CSodium",
                "CCrypt",
                // OpenSSL's digests, for imported {SSHA512}, {SSHA256}, {SSHA} and {SMD5} hashes.
                "COpenSSL",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The store on PostgreSQL, for several nodes on one database, and opening a store by
        // its location (either store); the core links no network stack.
        .target(
            name: "ClientPassPostgreSQL",
            dependencies: [
                "ClientPassCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // What the command line and serve share at the edge: the configuration file, the kick
        // command, the mail servers and domains employees are shown, the device card. No web
        // server and no network client: checkpassword can use it.
        .target(
            name: "ClientPassEdge",
            dependencies: [
                "ClientPassCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The self-service API's types (schemas and operations), generated once from
        // ClientPassWeb/API/openapi.yaml by scripts/generate-api.sh (committed; `make test` checks
        // the digests): the server (ClientPassWeb) and the client (the CLI) share them.
        .target(
            name: "ClientPassAPI",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ],
            exclude: ["openapi-generator-config.yaml"]
        ),
        .target(
            name: "ClientPassWeb",
            dependencies: [
                "ClientPassAPI",
                "ClientPassEdge",
                "ClientPassCore",
                "ClientPassPostgreSQL",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                "CQRencode",
                "COpenSSL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            // Templates, style sheet and script are compiled into the binary: an installed
            // clientpass is one file.
            // API/Generated: the API's server side, generated from API/openapi.yaml by
            // scripts/generate-api.sh (committed; `make test` checks it is current).
            exclude: ["API/openapi-generator-config.yaml"],
            resources: [.embedInCode("Page"), .embedInCode("API/openapi.yaml")]
        ),
        // The directory client (LDAP, Active Directory) behind the core's DirectoryConnector.
        .target(
            name: "ClientPassDirectory",
            dependencies: [
                "ClientPassCore",
                "CLDAP",
            ]
        ),
        .executableTarget(
            name: "clientpass",
            dependencies: [
                "ClientPassAPI",
                "ClientPassEdge",
                "ClientPassCore",
                "ClientPassPostgreSQL",
                "ClientPassWeb",
                "ClientPassDirectory",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                // The self-service commands with a server: the API's client (API/Generated,
                // from openapi.yaml by scripts/generate-api.sh) over AsyncHTTPClient.
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // The issuer of a server certificate this computer does not trust, in words.
                "COpenSSL",
            ],
            exclude: ["API/openapi-generator-config.yaml"]
        ),
        // `make fuzz`: libFuzzer entry points, built with --sanitize fuzzer --sanitize address.
        .executableTarget(
            name: "ClientPassFuzz",
            dependencies: [
                "ClientPassAPI",
                "ClientPassCore",
                "ClientPassWeb",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // `make bench`: not part of the tests.
        .executableTarget(
            name: "ClientPassBench",
            dependencies: [
                "ClientPassCore",
                "ClientPassPostgreSQL",
                // PostgreSQLLab: `--postgresql` starts its own server as the tests do.
                "ClientPassTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What the test targets share: fixtures and samples (as HummingbirdTesting is to Hummingbird's tests).
        .target(
            name: "ClientPassTestSupport",
            dependencies: [
                "ClientPassCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/ClientPassTestSupport",
            swiftSettings: testCode
        ),
        .testTarget(
            name: "ClientPassCoreTests",
            dependencies: [
                "ClientPassCore",
                "ClientPassPostgreSQL",
                "ClientPassTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: testCode
        ),
        .testTarget(
            name: "ClientPassWebTests",
            dependencies: [
                "ClientPassWeb",
                "ClientPassTestSupport",
                "ClientPassCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: testCode
        ),
        .testTarget(
            name: "clientpassTests",
            dependencies: [
                "clientpass",
                "ClientPassTestSupport",
                "ClientPassCore",
                "ClientPassPostgreSQL",
                "ClientPassDirectory",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: testCode
        ),
    ],
    swiftLanguageModes: [.v6]
)
