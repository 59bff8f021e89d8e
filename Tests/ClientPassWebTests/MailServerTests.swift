import ClientPassEdge
import ClientPassTestSupport
@testable import ClientPassCore
import ClientPassWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// How the page names the mail servers employees configure.
@Suite struct MailServerTests {
    @Test(arguments: [
        ("mail.example.com:993", "mail.example.com", 993, MailServer.Security.tls),
        ("mail.example.com:587", "mail.example.com", 587, .starttls),
        ("mail.example.com:1143 starttls", "mail.example.com", 1143, .starttls),
        ("192.0.2.5:465", "192.0.2.5", 465, .tls),
        ("[2001:db8::5]:995 TLS", "2001:db8::5", 995, .tls),
    ])
    func parses(text: String, host: String, port: Int, security: MailServer.Security) throws {
        let server = try MailServer(parsing: text)
        #expect(server.host == host)
        #expect(server.port == port)
        #expect(server.security == security)
    }

    @Test(arguments: [
        ("mail.example.com", "is not HOST:PORT"),
        ("mail.example.com:0", "is not a port number"),
        ("mail.example.com:1143", "has no conventional security"),
        ("mail.example.com:993 ssl", "is not a connection security"),
        ("mail_server:993", "is not a host name"),
        ("mail.example.com:993 tls extra", "is not HOST:PORT"),
    ])
    func refuses(text: String, message: String) {
        #expect { try MailServer(parsing: text) } throws: { "\($0)".contains(message) }
    }
}
