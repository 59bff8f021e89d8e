import ArgumentParser
import ClientPassCore
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

struct CheckpasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpassword",
        abstract: "Dovecot 2.3 checkpassword passdb: decide a login and exec the reply program.",
        discussion: """
            Configure Dovecot with
                passdb { driver = checkpassword; args = /usr/local/bin/clientpass checkpassword --store /var/lib/clientpass/clientpass.sqlite }
                userdb { driver = static; args = … }
            Dovecot appends the path of its checkpassword-reply program. clientpass reads \
            user\\0password\\0 from file descriptor 3 (at most 512 bytes), the protocol from \
            SERVICE (imap, pop3; smtp and submission are smtp) and the client from TCPREMOTEIP, \
            and decides like `clientpass check`. On allow it sets USER to the account's canonical \
            name and executes the reply program. It needs no PATH or HOME.

            Exit codes: 1 authentication failed (any denial, a malformed request, a userdb or \
            credentials lookup, which clientpass does not serve); 111 temporary failure (the store \
            cannot be read or written, or stays locked past its timeout) — never an allow.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The program to execute on success (Dovecot's checkpassword-reply).", valueName: "reply-program"))
    var replyProgram: String

    func run() async throws {
        CheckpasswordProgram.startDeadline()
        await CheckpasswordProgram.run(store: storeOptions.store, replyProgram: replyProgram)
    }
}
