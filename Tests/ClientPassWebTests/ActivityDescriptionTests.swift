import ClientPassCore
import ClientPassTestSupport
import Foundation
import Testing
@testable import ClientPassWeb

/// The page's words for the audit trail: every kind an employee sees, said to them.
@Suite struct ActivityDescriptionTests {
    @Test(arguments: AuditSamples.everyKind)
    func everyKindIsWordedOrDeliberatelyUnshown(_ event: AuditEvent) {
        let description = ActivityDescription(event, accountName: "alice@example.com")
        if ActivityDescription.unshown.contains(event.kind) || (event.kind == .policyChanged && event.account == nil) {
            #expect(description == nil)
            return
        }
        let text = description?.text ?? ""
        #expect(text.hasSuffix("."), "\(event.kind)")
        for placeholder in ["a credential", "an unknown address", "no change", "\"\""] {
            #expect(!text.contains(placeholder), "\(text)")
        }
        #expect(description?.isRefusal == (event.kind == .loginDenied || event.kind == .signInFailed))
    }

    @Test func someSentences() {
        let texts = AuditSamples.everyKind.compactMap { ActivityDescription($0, accountName: "alice@example.com")?.text }
        #expect(texts.contains("Your mail administrator changed your services: POP3 off."))
        #expect(texts.contains("You created app password 1 \"Phone\" (IMAP, SMTP only, from 10.0.3.0/24 only)."))
        #expect(texts.contains("Your mail administrator revoked app password 1 \"iPhone\" (a help-desk reset)."))
        #expect(texts.contains("You signed in to self-service on the command line."))
        #expect(texts.contains("A sign-in on the command line was refused after too many failed attempts."))
        #expect(texts.contains("A POP3 login from 198.51.100.7 was refused: POP3 is turned off for the account."))
        #expect(texts.contains("A mail client logged in over SMTP from 203.0.113.9 for the first time (your mailbox password)."))
        #expect(texts.contains("Your mail administrator made your account an exception: your mailbox password keeps working in mail clients."))
    }

    /// An entry whose sentence could not be typed shows that sentence.
    @Test func anUntypedEarlierEntryShowsItsSentence() {
        let event = AuditEvent(
            at: AuditSamples.at, kind: .servicesChanged, actor: .admin(osUser: "root"), account: "alice@example.com",
            note: "services: IMAP on, POP3 off")
        #expect(ActivityDescription(event, accountName: "alice@example.com")?.text == "Your mail administrator: services: IMAP on, POP3 off.")
    }
}
