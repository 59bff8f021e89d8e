import ClientPassCore
import Foundation
import HTTPTypes
import Hummingbird

/// "Recent activity" (`/activity`): the account's audit entries in the page's words.
extension SelfServiceController {
    func activityPage(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        try await whenSignedIn(request, context) { current in
            let now = engine.currentDate
            let events = try manager.auditEvents(about: current.account.name, limit: 60).compactMap { event -> [String: Any]? in
                guard let description = ActivityDescription(event, accountName: current.account.name, term: configuration.passwordTerm) else { return nil }
                return [
                    "when": Self.when(event.at, now: now), "iso": RFC3339.string(from: event.at), "text": description.text,
                    "kind": description.isRefusal ? "refused" : "change",
                ]
            }.prefix(30)
            var values = chrome(current, section: "activity")
            values["events"] = Array(events)
            values["hasEvents"] = !events.isEmpty
            return html(renderer.render("activity", values))
        }
    }
}
