import ClientPassCore
import ClientPassEdge
import Foundation
import HTTPTypes
import Hummingbird

/// Mail clients that configure themselves: Thunderbird's autoconfig
/// (`GET /mail/config-v1.1.xml`, `/.well-known/autoconfig/mail/config-v1.1.xml`) and Outlook's
/// Autodiscover (`POST /autodiscover/autodiscover.xml`), for the configured mail domains, with
/// the servers the page shows (`--imap-server`, …).
///
/// Public by design, and blind to accounts: every address of a configured domain gets the same
/// answer, so the endpoints never tell whether an account exists; an address of another domain
/// gets 404. Nothing the request says is echoed but an address already checked to be plain.
struct ClientSetupController: Sendable {
    let domains: [MailDomain]
    let servers: [MailService: MailServer]

    func addRoutes(to router: Router<WebRequestContext>) {
        router.get("/mail/config-v1.1.xml") { request, _ in autoconfig(request) }
        router.get("/.well-known/autoconfig/mail/config-v1.1.xml") { request, _ in autoconfig(request) }
        for path in ["/autodiscover/autodiscover.xml", "/Autodiscover/Autodiscover.xml"] {
            router.post(RouterPath(path)) { request, context in try await autodiscover(request, context) }
        }
    }

    // MARK: Thunderbird

    func autoconfig(_ request: Request) -> Response {
        guard let domain = autoconfigDomain(request) else { return notFound("no mail settings for that address or domain") }
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <clientConfig version="1.1">
              <emailProvider id="\(domain)">
                <domain>\(domain)</domain>
                <displayName>\(domain)</displayName>
                <displayShortName>\(domain)</displayShortName>

            """
        for service in [MailService.imap, .pop3] {
            guard let server = servers[service] else { continue }
            xml += serverElement("incomingServer", type: service.rawValue, server)
        }
        if let smtp = servers[.smtp] { xml += serverElement("outgoingServer", type: "smtp", smtp) }
        xml += "  </emailProvider>\n</clientConfig>\n"
        return Response(
            status: .ok, headers: [.contentType: "text/xml; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    /// The domain asked about: of `?emailaddress=`, else of the `autoconfig.DOMAIN` host name,
    /// else the only configured one. `nil` when it is not a configured domain.
    func autoconfigDomain(_ request: Request) -> MailDomain? {
        if let address = request.uri.queryParameters.get("emailaddress") {
            return MailDomain.ofAddress(address).flatMap { domains.contains($0) ? $0 : nil }
        }
        if let host = request.head.authority?.split(separator: ":").first, host.lowercased().hasPrefix("autoconfig."),
            let domain = try? MailDomain(parsing: String(host.dropFirst("autoconfig.".count)))
        {
            return domains.contains(domain) ? domain : nil
        }
        return domains.count == 1 ? domains[0] : nil
    }

    private func serverElement(_ element: String, type: String, _ server: MailServer) -> String {
        """
            <\(element) type="\(type)">
              <hostname>\(Self.xmlEscaped(server.host))</hostname>
              <port>\(server.port)</port>
              <socketType>\(server.security == .tls ? "SSL" : "STARTTLS")</socketType>
              <username>%EMAILADDRESS%</username>
              <authentication>password-cleartext</authentication>
            </\(element)>

        """
    }

    // MARK: Outlook

    func autodiscover(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        // The request names the address in <EMailAddress>; it is read as text, never parsed as
        // XML (no entities, no external references).
        guard let start = body.range(of: "<EMailAddress>"), let end = body.range(of: "</EMailAddress>", range: start.upperBound..<body.endIndex) else {
            return notFound("the request names no EMailAddress")
        }
        let address = body[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        guard let domain = MailDomain.ofAddress(address), domains.contains(domain) else {
            return notFound("no mail settings for that address")
        }
        var protocols = ""
        for (service, type) in [(MailService.imap, "IMAP"), (.pop3, "POP3"), (.smtp, "SMTP")] {
            guard let server = servers[service] else { continue }
            protocols += """
                      <Protocol>
                        <Type>\(type)</Type>
                        <Server>\(Self.xmlEscaped(server.host))</Server>
                        <Port>\(server.port)</Port>
                        <LoginName>\(Self.xmlEscaped(address))</LoginName>
                        <DomainRequired>off</DomainRequired>
                        <SPA>off</SPA>
                        <SSL>on</SSL>\(server.security == .starttls ? "\n            <Encryption>TLS</Encryption>" : "")
                        <AuthRequired>on</AuthRequired>
                      </Protocol>

                """
        }
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
              <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
                <Account>
                  <AccountType>email</AccountType>
                  <Action>settings</Action>
            \(protocols)      </Account>
              </Response>
            </Autodiscover>

            """
        return Response(
            status: .ok, headers: [.contentType: "application/xml; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    private func notFound(_ message: String) -> Response {
        Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }

    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
