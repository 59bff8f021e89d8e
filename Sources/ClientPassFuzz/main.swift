// libFuzzer entry points for every parser that takes outside input (`make fuzz`, docs/security.md).
// Built with `swift build --sanitize fuzzer --sanitize address` (make fuzz), libFuzzer supplies `main`
// and calls LLVMFuzzerTestOneInput with each input. CLIENTPASS_FUZZ_TARGET picks the parser.
// Besides crashes, leaks and hangs, each target checks a property of the parser (a parsed
// network prints as itself, an escaped string has nothing left to escape, …): a violation traps.
@testable import ClientPassCore
@testable import ClientPassEdge
@testable import ClientPassWeb
import ClientPassAPI
import Foundation
import HTTPTypes

enum FuzzTarget: String, CaseIterable {
    case addresses, accountNames = "account-names", checkpassword, nginxHeaders = "nginx-headers", decideJSON = "decide-json"
    case formBodies = "form-bodies", configFile = "config-file", durations, appPasswords = "app-passwords"
    case imports, apiJSON = "api-json"

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["CLIENTPASS_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("set CLIENTPASS_FUZZ_TARGET to one of: \(allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(64)
        }
        return target
    }()
}

func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("property violated: \(message())") }
}

let fixedNow = Date(timeIntervalSince1970: 1_800_000_000)
let utc: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar
}()

func fuzzAddresses(_ text: String) {
    if let address = IPAddress(text) {
        require(IPAddress(address.description) == address, "\(address) does not parse as itself")
        require(address.canonical.isIPv4 || address.canonical.unmappedIPv4 == nil, "canonical form of \(address) is still mapped")
        _ = address.throttlingKey
    }
    if let network = try? IPNetwork(parsing: text) {
        require((try? IPNetwork(parsing: network.description)) == network, "\(network) does not parse as itself")
        require(network.contains(network.address), "\(network) does not contain its own address")
    }
    if let networks = try? IPNetwork.parseList(text) { require(!networks.isEmpty, "an empty list parsed") }
}

func fuzzNames(_ text: String) {
    if let name = try? AccountName(validating: text) {
        require(name.value.utf8.count <= AccountName.maximumUTF8Length, "an over-long name was accepted")
        require(!Untrusted.hasUnsafeCharacters(name.value), "a name with control characters was accepted")
        require(
            name.value.unicodeScalars.elementsEqual(name.value.precomposedStringWithCompatibilityMapping.unicodeScalars), "a non-canonical name was accepted")
    }
    _ = try? DepartmentName(validating: text)
    _ = try? Label(validating: text)
    // LDAP: no filter special is left bare, every backslash starts a hex pair; a DN value
    // has no bare comma.
    let filter = Array(LDAPEscaping.filterValue(text).utf8)
    require(!filter.contains { [0x2A, 0x28, 0x29, 0x00].contains($0) }, "a filter special left unescaped")
    for (index, byte) in filter.enumerated() where byte == 0x5C {
        require(
            index + 2 < filter.count && filter[(index + 1)...(index + 2)].allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) },
            "a backslash in a filter value that starts no hex pair")
    }
    require(LDAPEscaping.components(of: "ou=" + LDAPEscaping.dnValue(text)).count == 1, "an escaped DN value splits the DN")
    let escaped = Untrusted.escaped(text)
    require(!Untrusted.hasUnsafeCharacters(escaped), "escaping left an unsafe character")
    require(!Quoted(text).description.contains("\n"), "a quoted string spans lines")
}

/// fd 3's bytes, then (after the first 0xFF, which UTF-8 never contains) `NAME=value` lines for the environment.
func fuzzCheckpassword(_ bytes: [UInt8]) {
    let split = bytes.firstIndex(of: 0xFF) ?? bytes.endIndex
    var environment: [String: String] = [:]
    if split < bytes.endIndex {
        for line in String(decoding: bytes[(split + 1)...], as: UTF8.self).split(separator: "\n") {
            let pair = line.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { environment[String(pair[0])] = String(pair[1]) }
        }
    }
    if let input = try? CheckpasswordInput(data: Array(bytes[..<split]), environment: environment) {
        require(input.password.count <= CheckpasswordInput.maximumLength, "an over-long request was accepted")
    }
}

/// `Name: value` lines.
func fuzzNginx(_ text: String) {
    var headers = HTTPFields()
    for line in text.split(separator: "\n") {
        let pair = line.split(separator: ":", maxSplits: 1)
        guard pair.count == 2, let name = HTTPField.Name(String(pair[0])) else { continue }
        headers.append(HTTPField(name: name, value: pair[1].trimmingCharacters(in: .whitespaces)))
    }
    if case .login(let login, _) = NginxAuthController.read(headers) {
        require(login.address.canonical == login.address.canonical.canonical, "address not canonical")
    }
}

func fuzzDurations(_ text: String) {
    if let seconds = try? DurationText.parse(text) {
        require(seconds >= 1 && seconds <= 10_000_000, "duration \(seconds) out of range")
        require((try? DurationText.parse(DurationText.format(TimeInterval(seconds)))) == seconds, "\(seconds) s does not round-trip")
    }
    _ = try? DurationText.parseSince(text, now: fixedNow, calendar: utc)
    if let expiry = try? Expiry.parse(text, now: fixedNow, calendar: utc) {
        require(expiry > fixedNow, "an expiry in the past was accepted")
    }
}

func fuzzAppPasswords(_ bytes: [UInt8]) {
    guard let normalized = AppPasswordGenerator.normalize(Secret(bytes: bytes)) else { return }
    let display = AppPasswordGenerator.displayForm(of: normalized)
    let again = AppPasswordGenerator.normalize(Secret(display))
    require(again.map { a in a.withUnsafeBytes { Array($0) } } == normalized.withUnsafeBytes { Array($0) }, "the display form does not normalize back")
}

/// An import file, read as a passwd-file and as CSV: every entry's hash reads back as itself,
/// and every line number is a line of the file, problems in order.
func fuzzImports(_ text: String) {
    let lines = text.utf8.filter { $0 == 0x0A }.count + 1
    for format in AccountImportFile.Format.allCases {
        let file = AccountImportFile(parsing: text, format: format, allowWeak: true)
        for entry in file.entries {
            require(entry.line >= 1 && entry.line <= lines, "entry line \(entry.line) of \(lines)")
            if case .imported(let hash) = entry.hash {
                require((try? ImportedPasswordHash(parsing: hash.stored)) == hash, "an imported hash does not read back as itself")
                require(MailboxPasswordHasher.schemeName(hash.stored) == hash.scheme.rawValue, "the scheme name differs")
            } else {
                require(entry.hash.stored.hasPrefix("$argon2id$"), "an {ARGON2ID} hash is not kept as a native one")
            }
        }
        require(file.problems.map(\.line) == file.problems.map(\.line).sorted(), "problems out of order")
        require(file.problems.allSatisfy { $0.line >= 1 && $0.line <= lines }, "a problem on a line the file does not have")
    }
}

/// A body of the self-service API, decoded as each operation's body is: whatever does not
/// decode is described in the API's own words (no decoder's types, no control characters),
/// and what does goes through the checks the handlers make.
func fuzzAPIJSON(_ bytes: [UInt8]) {
    let data = Data(bytes)
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    func decode<Body: Decodable>(_ type: Body.Type, as operation: String) -> Body? {
        do {
            return try decoder.decode(type, from: data)
        } catch {
            let detail = APIProblem.mismatch(of: error, operation: operation)
            for word in ["DecodingError", "CodingKeys", "Swift.", "Dictionary<", "underlying", "Context("] {
                require(!detail.contains(word), "the problem names \(word): \(detail)")
            }
            require(!Untrusted.hasUnsafeCharacters(detail), "the problem has an unsafe character: \(detail)")
            return nil
        }
    }
    _ = decode(Components.Schemas.SignInRequest.self, as: "signIn")
    if let rename = decode(Components.Schemas.RenameRequest.self, as: "renamePassword") { _ = try? Label(validating: rename.label) }
    if let create = decode(Components.Schemas.NewPasswordRequest.self, as: "createPassword") {
        _ = try? Label(validating: create.label)
        for network in create.networks ?? [] { _ = try? IPNetwork(parsing: network) }
        if let expires = create.expires, let expiry = try? Expiry.parse(expires, now: fixedNow, calendar: utc) {
            require(expiry > fixedNow, "an expiry in the past was accepted")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let text = String(decoding: bytes, as: UTF8.self)
    switch FuzzTarget.selected {
    case .addresses: fuzzAddresses(text)
    case .accountNames: fuzzNames(text)
    case .checkpassword: fuzzCheckpassword(bytes)
    case .nginxHeaders: fuzzNginx(text)
    case .decideJSON: _ = DecideController.read(Data(bytes))
    case .formBodies: _ = try? FormData(parsing: text)
    case .configFile: _ = ConfigFile.parse(text)
    case .durations: fuzzDurations(text)
    case .appPasswords: fuzzAppPasswords(bytes)
    case .imports: fuzzImports(text)
    case .apiJSON: fuzzAPIJSON(bytes)
    }
    return 0
}

// Built without libFuzzer (`swift build`, as `make test` builds it), the binary replays the
// inputs named on its command line, files or folders of them, through the target's parser and
// its property checks: `make test` replays the seed corpus, where a crash that `make fuzz`
// found is kept as a regression input. A violated property traps, as it does under libFuzzer.
// (Under libFuzzer this top-level code does not run: libFuzzer's main calls the entry point.)
func replay(_ paths: [String]) -> Int32 {
    var files: [String] = []
    for path in paths {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            FileHandle.standardError.write(Data("no input at \(path)\n".utf8))
            return 66
        }
        if isFolder.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files += names.sorted().map { "\(path)/\($0)" }
        } else {
            files.append(path)
        }
    }
    for file in files {
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
            return 66
        }
        // The entry point takes a pointer even for an empty input, as libFuzzer gives it.
        let bytes = [UInt8](data) + [0]
        _ = bytes.withUnsafeBufferPointer { fuzzOne($0.baseAddress!, bytes.count - 1) }
    }
    print("\(FuzzTarget.selected.rawValue): \(files.count) inputs replayed, every property held")
    return 0
}

let inputs = Array(CommandLine.arguments.dropFirst())
guard !inputs.isEmpty else {
    FileHandle.standardError.write(Data("usage: CLIENTPASS_FUZZ_TARGET=TARGET clientpass-fuzz FILE|FOLDER…  (replays inputs; make fuzz fuzzes)\n".utf8))
    exit(64)
}
exit(replay(inputs))
