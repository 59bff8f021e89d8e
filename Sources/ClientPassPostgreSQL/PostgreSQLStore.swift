import ClientPassCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// The store on PostgreSQL: several `serve` nodes, checkpassword programs and CLIs on one
/// database, each seeing every change the others commit. The rules are the same as on SQLite
/// (``SQLStore``); what differs is how transactions keep them with several writers at once:
///
/// - a change runs `SERIALIZABLE`, run again (up to ``maximumAttempts`` times) when PostgreSQL
///   finds it raced another node's: the cap of app passwords, unique names and every
///   read-then-write check hold as on SQLite's single writer;
/// - a login's bookkeeping runs `READ COMMITTED` under advisory locks on its account's and its
///   address's throttling counters, so that counting and checking are one step without
///   serialising every login of the company;
/// - a read is one `REPEATABLE READ` snapshot.
///
/// Connections come from PostgresNIO's `PostgresClient` (a pool). The store's protocols are
/// synchronous: a call leases a connection (one kept from the thread's last transaction when
/// there is one, else from the pool through a task on the store's own executor) and waits for
/// its statements, sending ahead those whose answers nothing waits for. The caller's thread never
/// runs PostgresNIO's work. A login decision, which runs in a task, does not hold a thread of the
/// cooperative pool while it waits: its calls run on threads of the store's own
/// (``performing(_:)``), and the warm path's read is one prepared statement, awaited
/// (``loadWarmState(accountKey:address:since:)``).
public struct PostgreSQLStore: SharedStore {
    /// How many times a change is tried when it keeps racing other nodes' changes.
    public static let maximumAttempts = 30

    /// Threads for tasks' calls (``performing(_:)``) in a server: as many calls wait on the
    /// network at once; more wait for a thread.
    public static let serverCallThreads = 16

    public let location: PostgreSQLLocation
    let connector: PostgreSQLConnector
    public let decisionSettings: DecisionSettings.Cache? = DecisionSettings.Cache()

    /// Opens an existing store and brings its schema up to date (one node at a time).
    /// - Throws: ``StoreError`` when the database cannot be reached (`unavailable`), holds no
    ///   store (`missing`), holds something else (`notAStore`) or a newer schema (`tooNew`);
    ///   ``InputError`` for an unreadable password file.
    /// - Parameter callThreads: threads for tasks' calls (``performing(_:)``), started on first
    ///   use: 1 is enough for a one-shot process (checkpassword).
    public init(opening location: PostgreSQLLocation, timeout: TimeInterval = 5, callThreads: Int = PostgreSQLStore.serverCallThreads) throws {
        self.location = location
        self.connector = try PostgreSQLConnector(location: location, timeout: timeout, callThreads: callThreads)
        // A store already up to date (every open but the first after an upgrade: each
        // checkpassword login, each command) is checked with a read, without the migration lock.
        if try isUpToDate() { return }
        guard try migrate(creating: false) else { throw StoreError.missing(location.description) }
    }

    /// Whether the store is there with every migration this version knows and no other.
    /// - Throws: ``StoreError/tooNew(_:unknown:)`` for a migration this version does not know.
    private func isUpToDate() throws -> Bool {
        try read { db in
            guard try db.one(Bool.self, "SELECT to_regclass('clientpass_migration') IS NOT NULL") == true else { return false }
            return try pendingMigrations(in: db).isEmpty
        }
    }

    /// The migrations this version knows that the store lacks, in order.
    /// - Throws: ``StoreError/tooNew(_:unknown:)`` when the store has one this version does not know.
    private func pendingMigrations(in db: any SQLDatabase) throws -> [(identifier: String, statements: [String])] {
        let applied = Set(try db.all(String.self, "SELECT identifier FROM clientpass_migration"))
        let unknown = applied.subtracting(Self.migrations.map(\.identifier)).sorted()
        guard unknown.isEmpty else { throw StoreError.tooNew(location.description, unknown: unknown) }
        return Self.migrations.filter { !applied.contains($0.identifier) }
    }

    private init(location: PostgreSQLLocation, connector: PostgreSQLConnector) {
        self.location = location
        self.connector = connector
    }

    /// Creates the store in an empty database: the schema, a new selector key, the default
    /// policy, all in one transaction.
    /// - Throws: ``StoreError`` `exists` when the database holds a store already, `notAStore`
    ///   when it holds other tables; nothing is changed then.
    /// - Parameter filling: runs in the same transaction once the store is made (a copy's
    ///   rows): the database holds the whole new store or nothing.
    public static func create(
        at location: PostgreSQLLocation, by actor: AuditActor, at date: Date = Date(), timeout: TimeInterval = 5,
        filling: ((any SQLDatabase) throws -> Void)? = nil
    ) throws -> PostgreSQLStore {
        let store = PostgreSQLStore(location: location, connector: try PostgreSQLConnector(location: location, timeout: timeout))
        let made = try store.migrate(creating: true) { db in
            try db.execute("INSERT INTO store_meta (id, selector_key, created_at) VALUES (1, ?, ?)", [Data(SelectorKey.generate().bytes), date])
            try db.execute("INSERT INTO domain_policy (id, updated_at) VALUES (1, ?)", [date])
            try Self.insert(AuditEvent(at: date, kind: .storeInitialized, actor: actor, subject: .store(path: location.description)), in: db)
            try filling?(db)
        }
        guard made else { throw StoreError.exists(location.description) }
        return store
    }

    /// Refuses foreign and newer schemas, then applies the migrations this version knows, in one
    /// transaction under an advisory lock so that nodes starting together migrate once.
    /// - Parameter creating: make the schema in an empty database (`admin init`), then its first
    ///   rows with `initialize`, in the same transaction.
    /// - Returns: whether the store was there (opening) or was made (creating).
    private func migrate(creating: Bool, initialize: ((any SQLDatabase) throws -> Void)? = nil) throws -> Bool {
        try connector.transaction(.serializable, locks: [], retrying: true) { db in
            try db.execute("SELECT pg_advisory_xact_lock(?)", [Self.migrationLock])
            let hasStore = try db.one(Bool.self, "SELECT to_regclass('clientpass_migration') IS NOT NULL") ?? false
            if !hasStore {
                let tables = try db.count("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()")
                if tables > 0 { throw StoreError.notAStore(location.description) }
                guard creating else { return false }
                try db.execute("CREATE TABLE clientpass_migration (identifier TEXT COLLATE \"C\" PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            } else if creating {
                // An empty store_meta is a store whose creation never finished: it cannot be
                // one, as creating is one transaction.
                return false
            }
            for migration in try pendingMigrations(in: db) {
                for statement in migration.statements { try db.execute(statement) }
                try db.execute("INSERT INTO clientpass_migration (identifier) VALUES (?)", [migration.identifier])
            }
            if creating { try initialize?(db) }
            return true
        }
    }

    /// Calls `onChange` whenever a change that could change a login's answer is committed,
    /// through any node or tool (`LISTEN` on ``generationChannel``); and once each time it
    /// starts listening, since changes made while it was not listening were not heard. It
    /// listens again, on a new connection, when its connection is lost.
    ///
    /// This is for dropping what a node remembers at once. The warm path does not depend on it:
    /// every warm answer reads the generation first.
    /// - Returns: the task listening; cancel it to stop.
    public func watchGeneration(_ onChange: @escaping @Sendable () -> Void) -> Task<Void, Never> {
        connector.listen(on: Self.generationChannel, onChange)
    }

    /// The account and department names of the store at `location`, for shell completion: one
    /// read, without migrating; empty when the database cannot be reached or holds no store.
    public static func names(readingAt location: PostgreSQLLocation, timeout: TimeInterval) -> (accounts: [String], departments: [String]) {
        guard let connector = try? PostgreSQLConnector(location: location, timeout: timeout) else { return ([], []) }
        let store = PostgreSQLStore(location: location, connector: connector)
        let names = try? store.read { db -> (accounts: [String], departments: [String]) in
            guard try db.one(Bool.self, "SELECT to_regclass('account') IS NOT NULL AND to_regclass('department') IS NOT NULL") == true else {
                return ([], [])
            }
            return (
                try db.all(String.self, "SELECT name FROM account ORDER BY name_key"),
                try db.all(String.self, "SELECT name FROM department ORDER BY name_key")
            )
        }
        return names ?? ([], [])
    }

    /// Whether the store at `location` can be used, read only and without migrating: for
    /// `config check`. `nil` when it is a store of this version or an earlier one (the next
    /// command migrates it); otherwise what is wrong, in words.
    /// - Throws: ``StoreError`` when the database cannot be reached (which, with its reason),
    ///   ``InputError`` for an unreadable password file.
    public static func probe(_ location: PostgreSQLLocation, timeout: TimeInterval) throws -> String? {
        let store = PostgreSQLStore(location: location, connector: try PostgreSQLConnector(location: location, timeout: timeout, callThreads: 1))
        return try store.read { db -> String? in
            guard try db.one(Bool.self, "SELECT to_regclass('clientpass_migration') IS NOT NULL") == true else {
                return "\(location.description) is reached but holds no clientpass store: make one with `clientpass admin init` "
                    + "or `clientpass admin store copy`"
            }
            _ = try store.pendingMigrations(in: db)
            return nil
        }
    }

    /// The migrations applied, oldest first.
    public func migrations() throws -> [String] {
        try read { db in try db.all(String.self, "SELECT identifier FROM clientpass_migration ORDER BY identifier") }
    }
}

extension PostgreSQLStore: SQLStore {
    public func read<T>(_ body: (any SQLDatabase) throws -> T) throws -> T {
        try connector.transaction(.snapshot, locks: [], retrying: false, body)
    }

    public func write<T>(_ body: (any SQLDatabase) throws -> T) throws -> T {
        try connector.transaction(.serializable, locks: [], retrying: true, body)
    }

    public func write<T>(locking keys: [String], _ body: (any SQLDatabase) throws -> T) throws -> T {
        try connector.transaction(.lockingKeys, locks: keys, retrying: true, body)
    }

    /// On threads of the store's own: a call waits for the network.
    public func performing<T: Sendable>(_ call: @escaping @Sendable () throws -> T) async throws -> T {
        try await connector.offload(call)
    }

    public var blockingCallExecutor: (any TaskExecutor)? { connector.callExecutor }

    /// One prepared statement on a pooled connection, awaited: no thread waits for it.
    public func loadWarmState(accountKey: String, address: IPAddress, since: Date) async throws -> WarmState {
        let query = try PostgreSQLDatabase.query(Self.warmStateSQL, Self.warmStateArguments(accountKey: accountKey, address: address, since: since))
        return try Self.warmState(from: try await connector.firstRow(of: WarmStateStatement(bindings: query.binds)))
    }
}

/// The warm path's read (``SQLStore/warmStateSQL``), prepared once on each connection.
private struct WarmStateStatement: PostgresPreparedStatement {
    static let name = "clientpass_warm_state"
    static let sql = PostgreSQLDatabase.numbered(PostgreSQLStore.warmStateSQL)
    typealias Row = SQLRow
    let bindings: PostgresBindings

    func makeBindings() -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> SQLRow { try PostgreSQLDatabase.row(row) }
}

/// The pool of connections of one store, with the threads that run it.
final class PostgreSQLConnector: Sendable {
    enum Isolation {
        case snapshot, serializable, lockingKeys

        var begin: String {
            switch self {
            case .snapshot: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
            case .serializable: "BEGIN ISOLATION LEVEL SERIALIZABLE"
            case .lockingKeys: "BEGIN ISOLATION LEVEL READ COMMITTED"
            }
        }
    }

    let location: PostgreSQLLocation
    let client: PostgresClient
    let timeout: TimeInterval
    private let group: MultiThreadedEventLoopGroup
    private let executor: StoreExecutor
    private let running: Task<Void, Never>
    /// Where ``offload(_:)`` runs the blocking calls of tasks.
    private let calls: CallThreads
    /// Those threads as an executor for tasks (``PostgreSQLStore/blockingCallExecutor``).
    let callExecutor: any TaskExecutor
    /// The awaited statements in flight, closed when they overrun the timeout.
    private let watch = StatementWatch()
    private let watching: Task<Void, Never>
    /// Connections kept between a thread's transactions.
    private let kept = KeptLeases()
    static let logger = Logger(label: "clientpass.postgresql", factory: { _ in SwiftLogNoOpLogHandler() })

    init(location: PostgreSQLLocation, timeout: TimeInterval, callThreads: Int = PostgreSQLStore.serverCallThreads) throws {
        let password = try location.password()
        var configuration: PostgresClient.Configuration
        var direct: PostgresConnection.Configuration
        if location.host.hasPrefix("/") {
            configuration = .init(
                unixSocketPath: location.host + "/.s.PGSQL.\(location.port)", username: location.user,
                password: password, database: location.database)
            direct = .init(
                unixSocketPath: location.host + "/.s.PGSQL.\(location.port)", username: location.user,
                password: password, database: location.database)
        } else {
            let tls = try Self.tls(location)
            configuration = .init(
                host: location.host, port: location.port, username: location.user, password: password,
                database: location.database, tls: tls.map(PostgresClient.Configuration.TLS.require) ?? .disable)
            direct = .init(
                host: location.host, port: location.port, username: location.user, password: password,
                database: location.database, tls: try tls.map { .require(try NIOSSLContext(configuration: $0)) } ?? .disable)
        }
        direct.options.connectTimeout = .milliseconds(Int64(timeout * 1000))
        direct.options.additionalStartupParameters = [("application_name", "clientpass"), ("TimeZone", "UTC")]
        configuration.options.connectTimeout = .milliseconds(Int64(timeout * 1000))
        configuration.options.maximumConnections = 32
        configuration.options.additionalStartupParameters = [("application_name", "clientpass"), ("TimeZone", "UTC")]
        self.location = location
        self.timeout = timeout
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let client = PostgresClient(configuration: configuration, eventLoopGroup: group, backgroundLogger: Self.logger)
        let executor = StoreExecutor()
        self.group = group
        self.client = client
        self.executor = executor
        self.running = Task(executorPreference: executor) { await client.run() }
        calls = CallThreads(count: callThreads)
        callExecutor = CallThreadsExecutor(threads: calls)
        watching = Task(executorPreference: executor) { [watch, kept] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                watch.closeOverdue(at: .now)
                kept.release(idleSince: .now - .seconds(10))
            }
        }
        try connectFirst(direct)
    }

    /// The first connection is made directly, not by the pool, which would try again and again
    /// until the timeout and report only that (a wrong password then counts a dozen failed
    /// logins at the server, where a lockout or fail2ban may be watching): a refusal is reported
    /// at once, saying which. The connection then serves the first transactions like a kept one.
    private func connectFirst(_ configuration: PostgresConnection.Configuration) throws {
        let lease = Lease()
        let task = Task(executorPreference: executor) { [group] in
            do {
                let connection = try await PostgresConnection.connect(on: group.next(), configuration: configuration, id: 0, logger: Self.logger)
                await lease.hold(connection)
                try? await connection.close()
            } catch {
                lease.fail(error)
            }
        }
        switch lease.wait(timeout: timeout) {
        case .leased:
            kept.keep(lease)
        case .failed(let error):
            lease.release()
            throw diagnosed(error)
        case .timedOut:
            task.cancel()
            lease.release()
            throw StoreError.unavailable(
                location.description,
                "no answer from PostgreSQL at \(location.endpoint) within \(Int(timeout)) s: "
                    + "is the host up, and does a firewall let port \(location.port) through?")
        }
    }

    /// Why a connection could not be made, and what to check: the login refused, TLS, the name,
    /// nobody listening, no answer.
    func diagnosed(_ error: any Error) -> StoreError {
        let place = location.description
        if let error = error as? PSQLError {
            if error.serverInfo != nil { return translate(error) }
            switch error.code {
            case .sslUnsupported:
                return translate(error)
            case .authMechanismRequiresPassword:
                return StoreError.unavailable(
                    place,
                    "PostgreSQL asks \(location.user) for a password and none was given: "
                        + "put it in the password file (passfile= in the URL, or ~/.pgpass) or PGPASSWORD")
            case .unsupportedAuthMechanism:
                return StoreError.unavailable(place, "PostgreSQL asks for a login method clientpass does not speak: use scram-sha-256 or md5 in pg_hba.conf")
            case .saslError:
                return StoreError.unavailable(place, "PostgreSQL refused the login of \(location.user): check the password in the password file or PGPASSWORD")
            default:
                if let underlying = error.underlying { return diagnosed(underlying) }
                return translate(error)
            }
        }
        if let error = error as? NIOSSLError {
            return StoreError.unavailable(
                place,
                "TLS with PostgreSQL at \(location.endpoint) failed (\(error)): check that its certificate is signed by "
                    + "the CA in sslrootcert (or one the system trusts) and, with sslmode=verify-full, names \(location.host)")
        }
        if let error = error as? BoringSSLError {
            return StoreError.unavailable(
                place,
                "TLS with PostgreSQL at \(location.endpoint) failed (\(error)): check that its certificate is signed by "
                    + "the CA in sslrootcert (or one the system trusts) and, with sslmode=verify-full, names \(location.host)")
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return StoreError.unavailable(place, "the name \(location.host) does not resolve: check the host in the URL and the DNS")
            }
            if let first = error.connectionErrors.first { return diagnosed(first.error) }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED:
                return StoreError.unavailable(
                    place,
                    "nothing listens at \(location.endpoint) (connection refused): is PostgreSQL running, "
                        + "with listen_addresses and port as the URL says?")
            case ENOENT:
                return StoreError.unavailable(place, "no PostgreSQL socket at \(location.endpoint): is PostgreSQL running there?")
            case EACCES:
                return StoreError.unavailable(place, "\(location.endpoint) may not be used by \(currentOSUser()) (permission denied)")
            default:
                return StoreError.unavailable(place, "cannot connect to \(location.endpoint): \(error)")
            }
        }
        if case ChannelError.connectTimeout = error {
            return StoreError.unavailable(
                place,
                "no answer from PostgreSQL at \(location.endpoint) within \(Int(timeout)) s: "
                    + "is the host up, and does a firewall let port \(location.port) through?")
        }
        return StoreError.unavailable(place, "cannot connect to PostgreSQL at \(location.endpoint): \(error)")
    }

    deinit {
        kept.releaseAll()
        watching.cancel()
        running.cancel()
        calls.shutDown()
        group.shutdownGracefully { _ in }
    }

    /// Runs `call`, which blocks on this store's connections, on a thread of the store's own
    /// and awaits it: the task's thread is free meanwhile.
    func offload<T: Sendable>(_ call: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await calls.pool.runIfActive(call)
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw StoreError.unavailable(location.description, "the store is closing")
        }
    }

    /// The first row of a prepared statement, awaited on a pooled connection, at most the
    /// timeout: a connection that does not answer by then is closed (``StatementWatch``).
    func firstRow<Statement: PostgresPreparedStatement>(of statement: Statement) async throws -> Statement.Row? where Statement.Row: Sendable {
        var overdue = false
        do {
            return try await client.withConnection { connection in
                let ticket = watch.start(connection, deadline: .now + .milliseconds(Int64(timeout * 1000)))
                defer { overdue = watch.end(ticket) }
                var first: Statement.Row?
                for try await row in try await connection.execute(statement, logger: Self.logger) where first == nil {
                    first = row
                }
                return first
            }
        } catch let error as PSQLError {
            if overdue { throw StoreError.unavailable(location.description, "PostgreSQL did not answer within \(Int(timeout)) s") }
            throw translate(error)
        } catch is CancellationError {
            throw StoreError.unavailable(location.description, "the request was cancelled")
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.unavailable(location.description, "cannot reach PostgreSQL: \(error)")
        }
    }

    /// The TLS configuration the URL's sslmode asks for; `nil` for none.
    private static func tls(_ location: PostgreSQLLocation) throws -> TLSConfiguration? {
        guard location.tls != .disable else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        switch location.tls {
        case .disable: break
        case .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let root = location.rootCertificate {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(root))
            } catch {
                throw InputError("cannot read the CA certificates in \(root) (sslrootcert): \(error)")
            }
        }
        return tls
    }

    /// Runs `body` in one transaction on a leased connection, on this thread.
    func transaction<T>(_ isolation: Isolation, locks: [String], retrying: Bool, _ body: (any SQLDatabase) throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try withConnection { connection in
                    // Statements whose answers nothing waits for are sent without waiting: a
                    // transaction's BEGIN, and in a login's bookkeeping its locks and changes.
                    // Each is checked at the next answer waited for (answers come in order), at
                    // the latest at COMMIT. A read's COMMIT is not waited for at all (READ ONLY:
                    // nothing to confirm), so a warm login's read is one round trip.
                    let db = PostgreSQLDatabase(connection: connection, connector: self, sendsChangesAhead: isolation == .lockingKeys)
                    db.send(isolation.begin)
                    do {
                        // In one order everywhere (one statement evaluates its list left to right),
                        // so that two transactions never wait for each other.
                        let keys = Set(locks).sorted()
                        if !keys.isEmpty {
                            try db.execute(
                                "SELECT "
                                    + Array(repeating: "pg_advisory_xact_lock(hashtextextended(?, 0))", count: keys.count)
                                    .joined(separator: ", "), keys)
                        }
                        let value = try body(db)
                        if isolation == .snapshot {
                            db.send("COMMIT")
                        } else {
                            try db.finish("COMMIT")
                        }
                        return value
                    } catch {
                        _ = try? db.finish("ROLLBACK")
                        throw error
                    }
                }
            } catch let error as PSQLError where retrying && attempt < PostgreSQLStore.maximumAttempts && Self.isRace(error) {
                attempt += 1
                // A little wait, longer each time and never the same for two nodes.
                usleep(UInt32.random(in: 0...UInt32(min(attempt, 10) * 2_000)))
            } catch let error as PSQLError {
                throw translate(error)
            }
        }
    }

    /// Serialisation failures and deadlocks, and a unique key another transaction took first:
    /// the transaction is tried again, and sees the other's change.
    static func isRace(_ error: PSQLError) -> Bool {
        ["40001", "40P01", "23505"].contains(error.serverInfo?[.sqlState] ?? "")
    }

    /// A server's refusal or a lost connection as a ``StoreError``: never an SQL argument.
    func translate(_ error: PSQLError) -> StoreError {
        let place = location.description
        if let info = error.serverInfo {
            let state = info[.sqlState] ?? ""
            let message = info[.message] ?? "error \(state)"
            switch state {
            case "40001", "40P01", "55P03", "57014": return StoreError.busy(place)
            case "28P01":
                return StoreError.unavailable(
                    place,
                    "PostgreSQL refused the password of \(location.user) (\(message)): "
                        + "check the password file (passfile= in the URL, or ~/.pgpass) or PGPASSWORD")
            case "28000":
                return StoreError.unavailable(place, "PostgreSQL refused the login of \(location.user) (\(message)): check pg_hba.conf on the server")
            case "3D000": return StoreError.unavailable(place, "no database \(location.database): \(message)")
            case "42501": return StoreError.notWritable(place)
            default:
                if state.hasPrefix("08") || state.hasPrefix("57") || state.hasPrefix("53") {
                    return StoreError.unavailable(place, "PostgreSQL: \(message)")
                }
                return StoreError.unavailable(place, "PostgreSQL refused a statement (\(state)): \(message)")
            }
        }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed:
            return StoreError.unavailable(place, "the connection to PostgreSQL was lost")
        case .sslUnsupported:
            return StoreError.unavailable(place, "the server does not offer TLS (sslmode \(location.tls.rawValue))")
        default:
            return StoreError.unavailable(place, "cannot reach PostgreSQL (\(error.code))")
        }
    }

    /// See ``PostgreSQLStore/watchGeneration(_:)``.
    func listen(on channel: String, _ onChange: @escaping @Sendable () -> Void) -> Task<Void, Never> {
        Task(executorPreference: executor) { [client] in
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            onChange()
                            for try await _ in notifications { onChange() }
                        }
                    }
                } catch {
                    // The connection is gone (or the database refuses one): anything may have
                    // changed meanwhile.
                    onChange()
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Leases a connection for `body`, run on this thread; gives up after the timeout. A
    /// connection comes from those kept after earlier transactions when one is there (no task,
    /// no hand-over), else from the pool.
    private func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let lease = try kept.take() ?? lease()
        guard let connection = lease.connection else {
            lease.release()
            throw StoreError.unavailable(location.description, "cannot reach PostgreSQL")
        }
        var ended = false
        defer {
            // Kept for the next transaction only when this one ended (COMMIT or ROLLBACK
            // answered, or sent after every other statement) on a connection still open.
            if ended && !connection.isClosed { kept.keep(lease) } else { lease.release() }
        }
        let value = try body(connection)
        ended = true
        return value
    }

    /// A connection leased from the pool by a task of the store's executor and handed to this
    /// thread, which waits for it at most the timeout.
    private func lease() throws -> Lease {
        let lease = Lease()
        let task = Task(executorPreference: executor) { [client] in
            do {
                try await client.withConnection { connection in await lease.hold(connection) }
            } catch {
                lease.fail(error)
            }
        }
        switch lease.wait(timeout: timeout) {
        case .leased:
            return lease
        case .failed(let error as PSQLError):
            lease.release()
            throw translate(error)
        case .failed(let error):
            lease.release()
            throw StoreError.unavailable(location.description, "cannot reach PostgreSQL: \(error)")
        case .timedOut:
            task.cancel()
            lease.release()
            throw StoreError.unavailable(location.description, "no connection to PostgreSQL within \(Int(timeout)) s")
        }
    }

    /// Waits for a statement's answer, at most the timeout; a connection that does not answer
    /// is closed (its transaction ends with it).
    func wait(for statement: EventLoopFuture<PostgresQueryResult>, on connection: PostgresConnection) throws -> PostgresQueryResult {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<PostgresQueryResult>()
        statement.whenComplete { result in
            box.set(result)
            done.signal()
        }
        guard done.wait(timeout: .now() + timeout) == .success, let result = box.get() else {
            connection.close().whenComplete { _ in }
            throw StoreError.unavailable(location.description, "PostgreSQL did not answer within \(Int(timeout)) s")
        }
        return try result.get()
    }
}

/// One leased connection as a ``SQLDatabase``: `?` placeholders become `$1`, `$2`….
struct PostgreSQLDatabase: SQLDatabase {
    let connection: PostgresConnection
    let connector: PostgreSQLConnector
    /// ``execute(_:_:)`` sends and does not wait (see ``send(_:_:)``).
    let sendsChangesAhead: Bool
    private let ahead = Ahead()

    init(connection: PostgresConnection, connector: PostgreSQLConnector, sendsChangesAhead: Bool) {
        self.connection = connection
        self.connector = connector
        self.sendsChangesAhead = sendsChangesAhead
    }

    /// Statements sent and not yet waited for, in order.
    private final class Ahead: @unchecked Sendable {
        private let lock = NSLock()
        private var statements: [EventLoopFuture<PostgresQueryResult>] = []

        func append(_ statement: EventLoopFuture<PostgresQueryResult>) { lock.withLock { statements.append(statement) } }
        func take() -> [EventLoopFuture<PostgresQueryResult>] {
            lock.withLock {
                defer { statements = [] }; return statements
            }
        }
    }

    /// Sends a statement without waiting for its answer: its failure is thrown by the next
    /// statement waited for, as the failure of that one.
    @discardableResult
    func send(_ sql: String, _ arguments: SQLArguments = []) -> EventLoopFuture<PostgresQueryResult> {
        let statement: EventLoopFuture<PostgresQueryResult>
        do {
            statement = connection.query(try Self.query(sql, arguments), logger: PostgreSQLConnector.logger)
        } catch {
            statement = connection.eventLoop.makeFailedFuture(error)
        }
        ahead.append(statement)
        return statement
    }

    /// Waits for every statement sent so far, in order, each at most the timeout; throws the
    /// first failure.
    private func settle() throws {
        for statement in ahead.take() { _ = try connector.wait(for: statement, on: connection) }
    }

    /// Runs a statement, waits for it, and throws the first failure of those sent before it.
    @discardableResult
    func finish(_ sql: String, _ arguments: SQLArguments = []) throws -> PostgresQueryResult {
        let statement = send(sql, arguments)
        try settle()
        return try statement.wait()
    }

    func rowsAhead(_ sql: String, _ arguments: SQLArguments) -> SQLAnswer {
        let statement = send(sql, arguments)
        return SQLAnswer {
            try settle()
            return try statement.wait().rows.map(Self.row)
        }
    }

    func rows(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        try finish(sql, arguments).rows.map(Self.row)
    }

    static func row(_ row: PostgresRow) throws -> SQLRow {
        var columns: [String] = []
        var values: [SQLValue] = []
        for cell in row {
            columns.append(cell.columnName)
            values.append(try value(cell))
        }
        return SQLRow(columns: columns, values: values)
    }

    func execute(_ sql: String, _ arguments: SQLArguments) throws {
        if sendsChangesAhead {
            send(sql, arguments)
        } else {
            try finish(sql, arguments)
        }
    }

    static func query(_ sql: String, _ arguments: SQLArguments) throws -> PostgresQuery {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument.sqlValue {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .real(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            case .date(let date):
                // To the millisecond, as SQLite keeps it: a store copied either way reads the same.
                bindings.append(Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000))
            }
        }
        return PostgresQuery(unsafeSQL: numbered(sql), binds: bindings)
    }

    /// `?` → `$n`, outside quoted text and identifiers.
    static func numbered(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid: return .integer(try cell.decode(Int64.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .bytea: return .blob(Array(buffer: try cell.decode(ByteBuffer.self)))
        case .timestamptz, .timestamp, .date: return .date(try cell.decode(Date.self))
        default: return .text(try cell.decode(String.self))
        }
    }
}

/// A connection handed from the task that leased it to the thread that waits for it, and back.
private final class Lease: @unchecked Sendable {
    enum Outcome {
        case leased(PostgresConnection)
        case failed(any Error)
        case timedOut
    }

    private let lock = NSLock()
    private let arrived = DispatchSemaphore(value: 0)
    private var leased: PostgresConnection?
    private var error: (any Error)?
    private var abandoned = false
    private var released = false
    private var giveBack: CheckedContinuation<Void, Never>?

    /// In the leasing task: hands the connection over and keeps it until ``release()``.
    func hold(_ connection: PostgresConnection) async {
        let keep = lock.withLock { () -> Bool in
            guard !abandoned else { return false }
            leased = connection
            return true
        }
        guard keep else { return }
        arrived.signal()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = lock.withLock { () -> Bool in
                if released { return true }
                giveBack = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }

    func fail(_ error: any Error) {
        lock.withLock { self.error = error }
        arrived.signal()
    }

    /// The connection, once leased.
    var connection: PostgresConnection? { lock.withLock { leased } }

    func wait(timeout: TimeInterval) -> Outcome {
        let signalled = arrived.wait(timeout: .now() + timeout) == .success
        return lock.withLock {
            if let leased { return .leased(leased) }
            if signalled, let error { return .failed(error) }
            abandoned = true
            return .timedOut
        }
    }

    func release() {
        let continuation = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            released = true
            defer { giveBack = nil }
            return giveBack
        }
        continuation?.resume()
    }
}

/// Leased connections kept between transactions, so that a transaction usually starts without
/// a task or a hand-over; those unused for a while go back to the pool (``release(idleSince:)``).
private final class KeptLeases: @unchecked Sendable {
    private let lock = NSLock()
    private var leases: [(lease: Lease, since: ContinuousClock.Instant)] = []
    /// At most this many are kept; more go back to the pool at once.
    static let maximum = 16

    /// The most recently kept lease whose connection is still open; closed ones go back.
    func take() -> Lease? {
        while let lease = lock.withLock({ leases.popLast()?.lease }) {
            if let connection = lease.connection, !connection.isClosed { return lease }
            lease.release()
        }
        return nil
    }

    func keep(_ lease: Lease) {
        let kept = lock.withLock { () -> Bool in
            guard leases.count < Self.maximum else { return false }
            leases.append((lease, .now))
            return true
        }
        if !kept { lease.release() }
    }

    func releaseAll() {
        for lease in lock.withLock({ () -> [Lease] in
            defer { leases = [] }; return leases.map(\.lease)
        }) { lease.release() }
    }

    func release(idleSince instant: ContinuousClock.Instant) {
        let idle = lock.withLock { () -> [Lease] in
            let (old, recent) = (leases.filter { $0.since < instant }, leases.filter { $0.since >= instant })
            leases = recent
            return old.map(\.lease)
        }
        for lease in idle { lease.release() }
    }
}

/// Statements awaited on connections, each with its deadline; a sweep closes the connection
/// of one that overran it, which fails the statement (the awaited path has no thread to time
/// out on a semaphore).
private final class StatementWatch: Sendable {
    private struct Entry {
        let connection: PostgresConnection
        let deadline: ContinuousClock.Instant
    }

    private struct State {
        var next = 0
        var running: [Int: Entry] = [:]
        var closed: Set<Int> = []
    }

    private let state = Mutex(State())

    func start(_ connection: PostgresConnection, deadline: ContinuousClock.Instant) -> Int {
        state.withLock { state in
            state.next += 1
            state.running[state.next] = Entry(connection: connection, deadline: deadline)
            return state.next
        }
    }

    /// - Returns: whether the statement overran its deadline (its connection was closed).
    func end(_ ticket: Int) -> Bool {
        state.withLock { state in
            state.running[ticket] = nil
            return state.closed.remove(ticket) != nil
        }
    }

    func closeOverdue(at now: ContinuousClock.Instant) {
        let overdue = state.withLock { state -> [PostgresConnection] in
            let tickets = state.running.filter { $0.value.deadline < now }.map(\.key)
            var connections: [PostgresConnection] = []
            for ticket in tickets {
                if let entry = state.running.removeValue(forKey: ticket) { connections.append(entry.connection) }
                state.closed.insert(ticket)
            }
            return connections
        }
        for connection in overdue { connection.close().whenComplete { _ in } }
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?

    func set(_ result: Result<T, any Error>) { lock.withLock { self.result = result } }
    func get() -> Result<T, any Error>? { lock.withLock { result } }
}

/// The threads of a store's blocking calls, started on first use: a process that never calls
/// the store from a task (a command, most checkpassword logins' first steps) starts none.
private final class CallThreads: Sendable {
    private let threads: NIOThreadPool
    private let started = Mutex(false)

    init(count: Int) {
        threads = NIOThreadPool(numberOfThreads: max(count, 1))
    }

    var pool: NIOThreadPool {
        started.withLock { started in
            if !started {
                threads.start()
                started = true
            }
        }
        return threads
    }

    func shutDown() {
        if started.withLock({ $0 }) { threads.shutdownGracefully { _ in } }
    }
}

/// Jobs of tasks that prefer it, run on the store's call threads (which may block).
private final class CallThreadsExecutor: TaskExecutor {
    private let threads: CallThreads

    init(threads: CallThreads) {
        self.threads = threads
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        // Run even when the pool is shutting down (`state` cancelled): a job never run would
        // leave its task waiting forever.
        threads.pool.submit { _ in job.runSynchronously(on: executor) }
    }
}

/// Where the store's PostgreSQL work runs: threads of its own (Dispatch's, which grow when
/// blocked), never the cooperative pool whose threads a synchronous store call may be holding.
private final class StoreExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "clientpass.postgresql", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
