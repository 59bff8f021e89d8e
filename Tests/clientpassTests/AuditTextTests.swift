import ClientPassTestSupport
import Foundation
import Testing
@testable import ClientPassCore
@testable import clientpass

/// The command line's words for the audit trail: every kind in text and in `--json`.
@Suite struct AuditTextTests {
    @Test(arguments: AuditSamples.everyKind)
    func everyKindHasTextAndJSON(_ event: AuditEvent) throws {
        let text = AuditText.detail(event)
        #expect(!text.isEmpty)
        for placeholder in ["?", "a credential", "policy changed", "an unknown address"] {
            #expect(!text.contains(placeholder), "\(text)")
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(AuditEventJSON(event: event))) as? [String: Any])
        #expect(object["action"] as? String == event.kind.rawValue)
        #expect(object["detail"] as? String == text)
        #expect(object["actor_kind"] as? String != nil)
        #expect((object["subject"] as? [String: Any])?["kind"] != nil || event.subject == nil)
        #expect((object["old"] == nil || object["old"] is NSNull) == (event.old == nil))
        #expect((object["new"] == nil || object["new"] is NSNull) == (event.new == nil))
    }

    @Test func someSentences() {
        let samples = AuditSamples.everyKind
        let texts = samples.map(AuditText.detail)
        #expect(texts.contains("services: POP3 off (on now: IMAP, SMTP)"))
        #expect(texts.contains(#"app password 1 "Phone" created (protocols imap,smtp; networks 10.0.3.0/24)"#))
        #expect(texts.contains("secure-password enforcement on for department Sales, bob@example.com"))
        #expect(texts.contains("throttling: 5 failures per account and address, 50 per address, 20 per account from unknown addresses, in 600 s"))
        #expect(texts.contains("POP3 login from 198.51.100.7 denied: POP3 is turned off for alice@example.com (on: IMAP, SMTP)"))
        #expect(texts.contains("self-service sign-in on the command line refused: too many failed attempts"))
    }

    /// What earlier versions wrote reads back word for word, once typed by the migration — but
    /// for the few sentences whose words changed.
    @Test func earlierSentencesReadBackAsWritten() throws {
        let changed: [String: String] = [
            "throttling: 5 failures per account and address, 50 per address, in 600 s":
                "throttling: 5 failures per account and address, 50 per address, 50 per account from unknown addresses, in 600 s",
            "self-service sign-in failed: wrong mailbox password": "self-service sign-in on the command line failed: wrong mailbox password",
            "self-service sign-in refused: the account is disabled": "self-service sign-in on the command line refused: the account is disabled",
        ]
        for row in AuditSamples.legacy {
            let entry = LegacyAuditEntry(actor: row.actor, action: row.action, detail: row.detail, address: row.address, reason: row.reason)
            let event = AuditEvent(
                at: AuditSamples.at, kind: try #require(AuditEvent.Kind(rawValue: row.action)), actor: entry.actor,
                account: row.account, subject: entry.subject, reason: entry.reason, address: row.address,
                service: row.service.flatMap(MailService.init(rawValue:)), old: entry.old, new: entry.new,
                context: entry.context, note: entry.note)
            #expect(AuditText.detail(event) == changed[row.detail] ?? row.detail)
        }
    }
}
