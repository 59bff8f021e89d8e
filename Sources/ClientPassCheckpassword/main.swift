// clientpass-checkpassword: `clientpass checkpassword` alone, for Dovecot's passdb. Dovecot
// starts it once per login; without the rest of the CLI (its HTTP server, its argument parser)
// it starts several milliseconds sooner. Same protocol, same exit codes.
import ClientPassCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
if arguments.count == 2, ["-h", "--help"].contains(arguments[1]) {
    print("""
        USAGE: clientpass-checkpassword [--store <path>] <reply-program>

        Dovecot 2.3 checkpassword passdb, the same as `clientpass checkpassword` (see its help and
        man page): reads user\\0password\\0 from fd 3, SERVICE and TCPREMOTEIP, decides, and on
        allow executes the reply program with USER set. The store is --store, else
        $CLIENTPASS_STORE, else \(SQLiteStore.defaultPath).

        Exit codes: 1 authentication failed; 111 temporary failure; 64 usage error.
        """)
    exit(0)
}
guard let parsed = CheckpasswordProgram.arguments(arguments.dropFirst()) else {
    FileHandle.standardError.write(Data("clientpass-checkpassword: usage: clientpass-checkpassword [--store <path>] <reply-program>\n".utf8))
    exit(64)
}
await CheckpasswordProgram.run(store: parsed.store, replyProgram: parsed.replyProgram)
