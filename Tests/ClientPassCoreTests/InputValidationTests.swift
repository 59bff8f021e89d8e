import Foundation
import Testing
@testable import ClientPassCore

@Suite struct InputValidationTests {
    @Test(arguments: ["alice@example.com", "alice", "Bob.Smith+mail@example.co.uk", String(repeating: "a", count: 254), "josé@example.com"])
    func acceptsAccountNames(name: String) throws {
        #expect(try AccountName(validating: name).value == name)
    }

    @Test(arguments: [
        ("", "empty"), ("alice smith", "a space"), ("alice\texample", "a tab"), ("alice\n", "a line break"),
        ("al\u{0}ice", "U+0000"), ("al\u{200B}ice", "U+200B"), (String(repeating: "a", count: 255), "at most 254"),
        // Not in canonical form: a look-alike spelling of another name.
        ("\u{212A}im@example.com", "U+212A KELVIN SIGN"), ("jose\u{301}@example.com", "canonical form (Unicode NFC)"),
        ("\u{FF4B}im@example.com", "compatibility character"), ("\u{FB01}le@example.com", "U+FB01"),
        // Found by `make fuzz` (account-names): a private-use character was accepted.
        ("%\u{FF6C7}e", "private-use or unassigned"), ("al\u{0378}ice", "U+0378"),
    ])
    func refusesAccountNames(name: String, message: String) {
        #expect { try AccountName(validating: name) } throws: { error in
            (error as? InputError)?.description.contains(message) == true
        }
    }

    @Test func accountNamesCompareCaseInsensitively() throws {
        #expect(try AccountName(validating: "Alice@Example.COM") == AccountName(validating: "alice@example.com"))
        #expect(try AccountName(validating: "Alice@Example.COM").key == "alice@example.com")
    }

    @Test func labelsAreTrimmedAndLimitedTo64Characters() throws {
        #expect(try Label(validating: "  Outlook on laptop ").value == "Outlook on laptop")
        #expect(try Label(validating: String(repeating: "é", count: 64)).value.count == 64)
        #expect(try Label(validating: "<script>alert(1)</script>").value == "<script>alert(1)</script>")
        for bad in ["", "   ", String(repeating: "x", count: 65), "two\nlines", "bell\u{7}"] {
            #expect(throws: InputError.self) { try Label(validating: bad) }
        }
    }

    @Test(arguments: [
        ("10.0.3.0/24", "10.0.3.0/24"), ("1.1.1.1", "1.1.1.1"), ("1.1.1.1/32", "1.1.1.1"), ("0.0.0.0/0", "0.0.0.0/0"),
        ("2001:db8::/32", "2001:db8::/32"), ("2001:DB8:0:0::/64", "2001:db8::/64"), ("::1", "::1"), (" 192.168.0.0/16 ", "192.168.0.0/16"),
    ])
    func parsesNetworks(text: String, canonical: String) throws {
        #expect(try IPNetwork(parsing: text).description == canonical)
    }

    @Test(arguments: [
        ("1.1.1.7/24", "did you mean 1.1.1.0/24?"), ("2001:db8::1/32", "did you mean 2001:db8::/32?"),
        ("10.0.3.1/8", "did you mean 10.0.0.0/8?"), ("1.1.1.300", "not an IPv4 or IPv6 address"), ("1.1.1.0/33", "from 0 to 32"),
        ("::g", "not an IPv4 or IPv6 address"), ("::/129", "from 0 to 128"), ("1.1.1.0/", "invalid prefix"),
        ("1.1.1.0/-1", "invalid prefix"), ("/24", "not a network"), ("example.com", "not an IPv4 or IPv6 address"),
        ("fe80::1%eth0", "not an IPv4 or IPv6 address"),
        ("::ffff:10.0.1.0/120", "did you mean 10.0.1.0/24?"), ("::ffff:10.0.1.7", "did you mean 10.0.1.7?"),
        ("::ffff:0:0/96", "did you mean 0.0.0.0/0?"),
    ])
    func refusesBadNetworks(text: String, message: String) {
        #expect { try IPNetwork(parsing: text) } throws: { error in
            (error as? InputError)?.description.contains(message) == true
        }
    }

    @Test func networkListsRefuseEmptyEntries() throws {
        #expect(try IPNetwork.parseList("10.0.3.0/24, 2001:db8::/32,10.0.3.0/24").map(\.description) == ["10.0.3.0/24", "2001:db8::/32"])
        #expect(throws: InputError.self) { try IPNetwork.parseList("10.0.3.0/24,,10.0.4.0/24") }
        #expect(throws: InputError.self) { try IPNetwork.parseList(" ") }
    }

    @Test func networksMatchTheirAddressesIncludingIPv4Mapped() throws {
        let office = try IPNetwork(parsing: "10.0.3.0/24")
        #expect(office.contains(IPAddress("10.0.3.200")!))
        #expect(!office.contains(IPAddress("10.0.4.1")!))
        #expect(office.contains(IPAddress("::ffff:10.0.3.7")!))
        #expect(!office.contains(IPAddress("2001:db8::1")!))
        let v6 = try IPNetwork(parsing: "2001:db8::/32")
        #expect(v6.contains(IPAddress("2001:db8:ffff::1")!))
        #expect(!v6.contains(IPAddress("2001:db9::1")!))
        #expect(!v6.contains(IPAddress("10.0.3.1")!))
        #expect(try IPNetwork(parsing: "10.0.3.0/25").contains(IPAddress("10.0.3.127")!))
        #expect(try !IPNetwork(parsing: "10.0.3.0/25").contains(IPAddress("10.0.3.128")!))
    }

    @Test func protocolListsAcceptKnownNamesOnly() throws {
        #expect(try MailService.parseList("imap,SMTP") == [.imap, .smtp])
        #expect(throws: InputError.self) { try MailService.parseList("imap,http") }
        #expect(throws: InputError.self) { try MailService.parseList("imap,") }
        #expect(throws: InputError.self) { try MailService.parseList("") }
    }

    @Test func expiriesAreDurationsOrDates() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Berlin")!
        #expect(try Expiry.parse("90d", now: now) == now + 90 * 86_400)
        #expect(try Expiry.parse("12h", now: now) == now + 12 * 3600)
        #expect(try Expiry.parse("2w", now: now) == now + 14 * 86_400)
        // A date works through that whole day and stops at the next local midnight.
        let expiry = try Expiry.parse("2027-03-31", now: now, calendar: calendar)
        #expect(expiry == calendar.date(from: DateComponents(year: 2027, month: 4, day: 1)))
        for bad in ["0d", "90", "d", "90x", "-5d", "2027-02-30", "2027-3-1", "2020-01-01", "3651d", "tomorrow", "9999999999999999999999d"] {
            #expect(throws: InputError.self, "\(bad)") { try Expiry.parse(bad, now: now, calendar: calendar) }
        }
    }

    @Test func closeMatchesSuggestTheIntendedName() {
        let names = ["alice@example.com", "bob@example.com", "carol@example.com"]
        #expect(closestMatch(to: "alic", among: names) == "alice@example.com")
        #expect(closestMatch(to: "alice", among: names) == "alice@example.com")
        #expect(closestMatch(to: "bob@exmaple.com", among: names) == "bob@example.com")
        #expect(closestMatch(to: "zed", among: names) == nil)
    }

    @Test func humanTimes() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(HumanTime.relative(now - 5, now: now) == "just now")
        #expect(HumanTime.relative(now - 7200, now: now) == "2 hours ago")
        #expect(HumanTime.relative(now - 86_400, now: now) == "1 day ago")
        #expect(HumanTime.relative(now + 30 * 86_400 - 2, now: now) == "in 30 days")
        #expect(HumanTime.relative(now - 90 * 86_400, now: now, timeZone: TimeZone(identifier: "UTC")!) == "2026-10-17 08:00")
        #expect(RFC3339.string(from: now) == "2027-01-15T08:00:00Z")
    }
}
