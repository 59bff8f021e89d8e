import ClientPassCore
import ClientPassEdge
import ClientPassPostgreSQL
import ClientPassDirectory
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Dovecot 2.3's checkpassword protocol, as `clientpass checkpassword` runs it.
///
/// It reads `user\0password\0` from file descriptor 3 (at most 512 bytes), the protocol from
/// SERVICE and the client from TCPREMOTEIP, decides, and on allow sets USER to the canonical
/// account name and executes the reply program. Exit 1: authentication failed (a denial, a
/// malformed request, a userdb or credentials lookup); 111: temporary failure — never an allow.
public enum CheckpasswordProgram {
    /// Reads Dovecot's invocation, `[--store PATH | --store=PATH] REPLY-PROGRAM` (the arguments
    /// after the program or command name), without a general argument parser: building one's
    /// command tree costs more at start (≈ 10 ms of Swift's conformance lookups) than all of a
    /// login but the hash. `nil` for anything else.
    public static func arguments(_ arguments: ArraySlice<String>) -> (store: String?, replyProgram: String)? {
        var rest = arguments
        var store: String?
        if rest.first == "--store", rest.count == 3 {
            rest.removeFirst()
            store = rest.removeFirst()
        } else if let first = rest.first, first.hasPrefix("--store="), rest.count == 2 {
            store = String(first.dropFirst("--store=".count))
            rest.removeFirst()
        }
        guard rest.count == 1, let replyProgram = rest.first, !replyProgram.hasPrefix("-"), store?.isEmpty != true else { return nil }
        return (store, replyProgram)
    }

    /// Keeps the process within Dovecot's address-space limit; call it on the main thread
    /// before anything is awaited, while no other thread has allocated.
    ///
    /// Dovecot limits its auth processes' address space (`vsz_limit`, 256 MiB by default) and
    /// this process inherits the limit. glibc gives each new thread that allocates a malloc
    /// arena of its own and reserves 64 MiB of address space for it (a 128 MiB mapping, trimmed):
    /// the first thread of Swift's concurrency pool did so before the old call to `mallopt` in
    /// ``run(store:replyProgram:)`` took effect. With the release binary's own mappings (≈ 170 MiB)
    /// and three 8 MiB thread stacks, that reservation left Argon2id's 64 MiB too little room
    /// whenever the reservation succeeded, which depended on how the mappings fell: logins
    /// failed at random, more often on a loaded machine. One arena, set before any thread
    /// allocates, removes the reservation.
    ///
    /// Each thread also reserves its stack: 8 MiB by default (the stack limit), for the few
    /// threads of Swift's pool, of PostgreSQL's client and of Dispatch, some 50 MiB of the 256.
    /// With a debug build's larger mappings that again left Argon2id too little room at
    /// random; new threads get 2 MiB stacks here (a decision's deepest path uses a fraction of
    /// that), the same for every build.
    public static func prepareProcess() {
        _ = mallopt(M_ARENA_MAX, 1)
        var attributes = pthread_attr_t()
        if pthread_attr_init(&attributes) == 0 {
            _ = pthread_attr_setstacksize(&attributes, threadStackBytes)
            _ = pthread_setattr_default_np(&attributes)
            pthread_attr_destroy(&attributes)
        }
    }

    /// The stack each new thread of checkpassword reserves.
    static let threadStackBytes = 2 << 20

    /// Seconds until SIGALRM ends the process, whatever happens (a store locked past its
    /// timeout, a runtime starved of memory or threads): Dovecot then reports a temporary
    /// failure, never an allow.
    public static let deadlineSeconds: UInt32 = 30

    /// Sets the deadline: SIGALRM at its default action (the end of the process) and unblocked,
    /// whatever the parent left it as (a parent's thread may have had it blocked), then the alarm.
    public static func startDeadline() {
        signal(SIGALRM, SIG_DFL)
        var alarmOnly = sigset_t()
        sigemptyset(&alarmOnly)
        sigaddset(&alarmOnly, SIGALRM)
        pthread_sigmask(SIG_UNBLOCK, &alarmOnly, nil)
        alarm(deadlineSeconds)
    }

    /// Decides the login on fd 3 and executes `replyProgram` on allow; exits otherwise. The
    /// caller has set the deadline (``deadlineSeconds``).
    public static func run(store: String?, replyProgram: String) async -> Never {
        let environment = ProcessInfo.processInfo.environment
        if environment["AUTHORIZED"] != nil || environment["CREDENTIALS_LOOKUP"] != nil {
            fail("userdb and credentials lookups are not served; use clientpass as a passdb only", status: 1)
        }
        let input: CheckpasswordInput
        do {
            input = try CheckpasswordInput(data: readRequest(), environment: environment)
        } catch {
            fail("\(error)", status: 1)
        }
        // As every command: the flag, the environment, the configuration file, the default.
        let path =
            store ?? environment["CLIENTPASS_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? ConfigFile.loadImplicit()?.config.store
            ?? SQLiteStore.defaultPath
        // The engine, and the store in it, live until the process exits or becomes the reply
        // program: releasing a store wakes a libdispatch thread, which under an address-space
        // limit too tight for one more thread stack never starts, and the process would hang.
        let engine: DecisionEngine
        do {
            engine = DecisionEngine(store: try StoreLocation(parsing: path).open(singleConnection: true), pool: .inline, directory: LDAPConnector())
        } catch {
            fail("temporary failure: \(Untrusted.escaped(error.localizedDescription))", status: 111)
        }
        let outcome: DecisionEngine.Outcome
        do {
            outcome = try await engine.decideLogin(
                LoginRequest(
                    user: input.user, secret: input.password, service: input.service, address: input.address,
                    connectingAddress: input.connectingAddress))
        } catch let error as HashingError {
            fail("temporary failure: \(Untrusted.escaped(error.localizedDescription))" + addressSpaceAdvice(), status: 111)
        } catch {
            fail("temporary failure: \(Untrusted.escaped(error.localizedDescription))", status: 111)
        }
        guard case .allow(let account, _) = outcome.decision else {
            // A name that names no account is not logged: it may be a password typed into the wrong field.
            let message =
                outcome.account.map { "\(input.service.rawValue) login of \(Quoted($0)) from \(input.address): \(outcome.decision.summary)" }
                ?? "\(input.service.rawValue) login of an unknown account name from \(input.address): deny: \(outcome.decision.reason?.rawValue ?? "")"
            refuse(message)
        }
        setenv("USER", account, 1)
        var arguments: [UnsafeMutablePointer<CChar>?] = [strdup(replyProgram), nil]
        execv(replyProgram, &arguments)
        fail("cannot execute the reply program \(replyProgram): \(String(cString: strerror(errno)))", status: 111)
    }

    /// When the process runs under an address-space limit (Dovecot's `vsz_limit`), what to do
    /// about a hash that could not get its memory.
    private static func addressSpaceAdvice() -> String {
        var limit = rlimit()
        guard getrlimit(RLIMIT_AS_RESOURCE, &limit) == 0, limit.rlim_cur != rlim_t.max else { return "" }
        return "; this process may use only \(limit.rlim_cur / 1_048_576) MiB of address space (Dovecot's vsz_limit):"
            + " give Dovecot's auth service more with `service auth { vsz_limit = 1G }` in dovecot.conf"
    }

    /// Up to 513 bytes from fd 3 (one more than allowed, to tell an oversized request).
    private static func readRequest() -> [UInt8] {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 1024)
        while data.count <= CheckpasswordInput.maximumLength {
            let count = read(3, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            data.append(contentsOf: buffer[0..<count])
        }
        buffer.withUnsafeMutableBytes { Sodium.wipe($0) }
        return data
    }

    /// Writes one line to stderr (Dovecot's log) and exits without running anything else.
    private static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data("clientpass checkpassword: \(message)\n".utf8))
        Glibc.exit(status)
    }

    /// A policy refusal (exit 1) is ordinary, not an error: it goes to Dovecot's log at info
    /// level, in Dovecot's internal log protocol (`\u{1}`, the level + 1, the pid, a space), which
    /// the auth process's stderr, inherited here, speaks; elsewhere (a terminal) it reads as text.
    private static func refuse(_ message: String) -> Never {
        let info = isatty(STDERR_FILENO) == 1 ? "" : "\u{1}\u{2}\(getpid()) "
        FileHandle.standardError.write(Data("\(info)clientpass checkpassword: \(message)\n".utf8))
        Glibc.exit(1)
    }
}

/// glibc's `pthread_setattr_default_np` (a GNU extension), which Swift's Glibc module does not
/// export: the attributes new threads get when they are created without any.
@_silgen_name("pthread_setattr_default_np")
private func pthread_setattr_default_np(_ attributes: UnsafePointer<pthread_attr_t>) -> Int32
/// glibc's `mallopt`, which Swift's Glibc module does not export.
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// `RLIMIT_AS`, as Swift's Glibc module spells it.
private let RLIMIT_AS_RESOURCE = __rlimit_resource_t(RLIMIT_AS.rawValue)
/// `M_ARENA_MAX` from <malloc.h>.
private let M_ARENA_MAX: Int32 = -8
