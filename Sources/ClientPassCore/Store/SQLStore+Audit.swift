import Foundation

/// The audit trail's rows: one typed ``AuditEvent`` per row, its values as JSON.
extension SQLStore {
    /// Text is kept escaped (``Untrusted``): an entry never holds a control character or an
    /// unbounded string, whoever wrote it.
    package static func insert(_ event: AuditEvent, in db: any SQLDatabase) throws {
        let actor = AuditRow.actor(event.actor)
        let subject = AuditRow.subject(event.subject)
        try db.execute(
            """
            INSERT INTO audit_event (at, actor_kind, actor, account, action, subject_kind, subject_id, subject_name,
                                     reason, address, service, old_value, new_value, context, note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                event.at, actor.kind, Untrusted.escaped(actor.name, limit: 512), event.account.map { Untrusted.escaped($0, limit: 512) },
                event.kind.rawValue, subject.kind, subject.id, subject.name.map { Untrusted.escaped($0, limit: 512) },
                event.reason?.rawValue, event.address, event.service?.rawValue,
                event.old.map(AuditRow.json), event.new.map(AuditRow.json), event.context?.rawValue,
                event.note.map { Untrusted.escaped($0, limit: 4096) },
            ])
    }

    static func auditEvent(from row: SQLRow) throws -> AuditEvent {
        let action: String = row["action"]
        guard let kind = AuditEvent.Kind(rawValue: action) else {
            throw StoreError.corrupt("an audit entry has an unknown kind")
        }
        let service: String? = row["service"]
        let reason: String? = row["reason"]
        let context: String? = row["context"]
        let old: String? = row["old_value"]
        let new: String? = row["new_value"]
        return AuditEvent(
            id: row["id"], at: row["at"], kind: kind,
            actor: AuditRow.actor(kind: row["actor_kind"], name: row["actor"]), account: row["account"],
            subject: AuditRow.subject(kind: row["subject_kind"], id: row["subject_id"], name: row["subject_name"]),
            reason: reason.flatMap(DenialReason.init(rawValue:)), address: row["address"],
            service: service.flatMap(MailService.init(rawValue:)),
            old: old.flatMap(AuditRow.value(json:)), new: new.flatMap(AuditRow.value(json:)),
            context: context.flatMap(AuditEvent.Context.init(rawValue:)), note: row["note"])
    }
}

/// How the typed parts of an entry are kept in columns.
enum AuditRow {
    static func actor(_ actor: AuditActor) -> (kind: String, name: String) {
        switch actor {
        case .account(let name): ("account", name)
        case .admin(let user): ("admin", user)
        case .system: ("system", "clientpass")
        }
    }

    static func actor(kind: String, name: String) -> AuditActor {
        switch kind {
        case "account": .account(name)
        case "admin": .admin(osUser: name)
        default: .system
        }
    }

    static func subject(_ subject: AuditEvent.Subject?) -> (kind: String?, id: Int?, name: String?) {
        switch subject {
        case nil: (nil, nil, nil)
        case .appPassword(let id, let label): ("app_password", id, label)
        case .mailboxPassword: ("mailbox_password", nil, nil)
        case .department(let name): ("department", nil, name)
        case .secureNetwork(let network): ("secure_network", nil, network)
        case .firstPartyHost(let network): ("first_party_host", nil, network)
        case .setting(let setting): ("setting", nil, setting.rawValue)
        case .store(let path): ("store", nil, path)
        }
    }

    static func subject(kind: String?, id: Int?, name: String?) -> AuditEvent.Subject? {
        switch (kind, id, name) {
        case ("app_password", let id?, let label?): .appPassword(id: id, label: label)
        case ("mailbox_password", _, _): .mailboxPassword
        case ("department", _, let name?): .department(name)
        case ("secure_network", _, let network?): .secureNetwork(network)
        case ("first_party_host", _, let network?): .firstPartyHost(network)
        case ("setting", _, let setting?): AuditEvent.PolicySetting(rawValue: setting).map { .setting($0) }
        case ("store", _, let path?): .store(path: path)
        default: nil
        }
    }

    /// A value as JSON: a string, a number, an array of strings, or an object (keys sorted).
    static func json(_ value: AuditEvent.Value) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object(value), options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func object(_ value: AuditEvent.Value) -> Any {
        switch value {
        case .text(let text): Untrusted.escaped(text, limit: 512)
        case .number(let number): number
        case .list(let list): list.map { Untrusted.escaped($0, limit: 512) }
        case .fields(let fields): Dictionary(fields.map { ($0.name, object($0.value)) }, uniquingKeysWith: { first, _ in first })
        }
    }

    static func value(json: String) -> AuditEvent.Value? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) else { return nil }
        return value(object)
    }

    private static func value(_ object: Any) -> AuditEvent.Value? {
        if let text = object as? String { return .text(text) }
        if let list = object as? [String] { return .list(list) }
        if let number = object as? NSNumber { return .number(number.intValue) }
        if let fields = object as? [String: Any] {
            return .fields(fields.keys.sorted().compactMap { name in value(fields[name]!).map { AuditEvent.Value.Field(name, $0) } })
        }
        if let empty = object as? [Any], empty.isEmpty { return .list([]) }
        return nil
    }
}

/// ``AuditStore``: reading the trail and recording an entry.
extension SQLStore {
    public func auditEvents(account: String?, since: Date?, limit: Int) throws -> [AuditEvent] {
        try read { db in
            var conditions: [String] = []
            var arguments: SQLArguments = []
            if let account {
                conditions.append("account = ?")
                arguments.append(account)
            }
            if let since {
                conditions.append("at >= ?")
                arguments.append(since)
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            arguments.append(limit)
            return try db.rows("SELECT * FROM audit_event\(filter) ORDER BY id DESC LIMIT ?", arguments)
                .map { try Self.auditEvent(from: $0) }
        }
    }

    public func record(_ event: AuditEvent) throws {
        try write { db in try Self.insert(event, in: db) }
    }
}
