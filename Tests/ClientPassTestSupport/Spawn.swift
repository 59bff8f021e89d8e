import Foundation

/// Runs a program with posix_spawn and waits for it with waitpid: Foundation's Process, with
/// many started at once from several threads, now and then never sees one exit, and the test
/// waits forever. The child gets empty signal masks and default handlers, and no descriptor of
/// the test's but its standard input, output and error.
/// - Returns: the exit status, or 128 + the signal that ended it.
public func spawnAndWait(
    _ executable: String, _ arguments: [String], stdin: String?, environment: [String: String], in directory: String,
    stdout: String, stderr: String
) throws -> Int32 {
    var input: [Int32] = [0, 0]
    guard pipe(&input) == 0 else { throw LabError("cannot make a pipe: errno \(errno)") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, input[0], 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard spawnActions.closeFrom(&actions, 3) == 0, spawnActions.changeDirectory(&actions, directory) == 0 else {
        throw LabError("cannot prepare the start of \(executable)")
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGPIPE, SIGINT, SIGTERM, SIGCHLD, SIGHUP] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    close(input[0])
    guard spawned == 0 else {
        close(input[1])
        throw LabError("cannot start \(executable): errno \(spawned)")
    }
    if let stdin {
        var bytes = Array(stdin.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(input[1], $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { break }
            bytes = bytes.dropFirst(written)
        }
    }
    close(input[1])
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        guard errno == EINTR else { throw LabError("waitpid for \(executable): errno \(errno)") }
    }
    // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as functions.
    if status & 0x7f == 0 { return (status >> 8) & 0xff }
    return 128 + (status & 0x7f)
}

/// glibc's posix_spawn_file_actions_addclosefrom_np and _addchdir_np (2.34, 2.29), which
/// Swift's Glibc module leaves out (they are declared only for _GNU_SOURCE).
private let spawnActions:
    (
        closeFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32,
        changeDirectory: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    ) = {
        guard let closeFrom = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np"),
            let changeDirectory = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
        else {
            fatalError("glibc without posix_spawn_file_actions_addclosefrom_np and _addchdir_np (2.34 or later is needed)")
        }
        return (
            unsafeBitCast(closeFrom, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self),
            unsafeBitCast(changeDirectory, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
        )
    }()
