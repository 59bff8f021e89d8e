import ArgumentParser
import ClientPassCore
import Foundation

struct ClientPassCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clientpass",
        abstract: "App passwords and access policy for third-party mail clients.",
        discussion: """
            clientpass keeps the app passwords ("third-party client secure passwords") that \
            employees type into Outlook, Thunderbird or a phone instead of their mailbox password, \
            and the policy that decides which mail clients may log in.

            Employees use `password` and `access`, authenticated with their mailbox password: on \
            the mail host against the store, or from their own computer against a clientpass \
            server after `clientpass login --server https://mail.example.com`. Administrators use \
            `admin`; their authority is write access to the store.

            The store is --store PATH, else $CLIENTPASS_STORE, else \(SQLiteStore.defaultPath).
            """,
        version: ClientPassVersion.current,
        subcommands: [
            LoginCommand.self, LogoutCommand.self, PasswordCommand.self, AccessCommand.self, CheckCommand.self, ExplainCommand.self, CheckpasswordCommand.self,
            ServeCommand.self, ConfigCommand.self, AdminCommand.self,
        ]
    )
}

/// The process's entry point. Synchronous, so that checkpassword needs no thread but the main
/// one: under a tight address-space limit (Dovecot's `vsz_limit`) the runtime may be unable to
/// start a thread at all, and an async `main` would then wait for one for ever, where Dovecot
/// must get an answer.
@main
enum ClientPassMain {
    static func main() {
        // Dovecot's own invocation skips the parser (see CheckpasswordProgram.arguments); help
        // and mistakes go through it.
        let arguments = CommandLine.arguments
        if arguments.count > 1, arguments[1] == "checkpassword",
            let checkpassword = CheckpasswordProgram.arguments(arguments.dropFirst(2))
        {
            // No other thread exists yet: one malloc arena, and the deadline.
            CheckpasswordProgram.prepareProcess()
            CheckpasswordProgram.startDeadline()
            // The decision runs on this thread: every job of its task is run by the loop below.
            let executor = MainThreadExecutor()
            Task(executorPreference: executor) {
                await CheckpasswordProgram.run(store: checkpassword.store, replyProgram: checkpassword.replyProgram)
            }
            // run(store:replyProgram:) ends the process (exec, exit or the deadline's signal).
            executor.runJobs()
        }
        // Everything else as an async main does: the command on the concurrency pool, the main
        // queue served by dispatchMain, and exit when the command returns.
        Task.detached {
            await ClientPassCommand.main(nil)
            exit(0)
        }
        dispatchMain()
    }
}

/// Runs a task's jobs on the thread that calls ``runJobs()``: checkpassword's decision, which
/// awaits nothing but its own synchronous work (the store, Argon2id inline), on the main thread.
final class MainThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var jobs: [UnownedJob] = []

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    func runJobs() -> Never {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
