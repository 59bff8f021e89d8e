import ClientPassTestSupport
@testable import ClientPassCore
import ClientPassWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// What every page does with requests it cannot serve, and its assets.
@Suite struct PageRequestTests {
    // MARK: Malformed requests

    @Test func malformedFormsGet400NeverA500() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            try await browser.signIn()
            let csrf = try #require(try await browser.get("/").csrf)
            let bodies: [(String, String)] = [
                ("csrf=\(csrf)&label=%zz", "application/x-www-form-urlencoded"),
                ("csrf=\(csrf)&label=a&label=b", "application/x-www-form-urlencoded"),
                ("csrf=\(csrf)&label=%FF%FE", "application/x-www-form-urlencoded"),
                (#"{"label":"x"}"#, "application/json"),
                ("csrf=\(csrf)&label=x", "text/plain"),
            ]
            for (body, type) in bodies {
                let page = try await browser.post("/passwords", raw: body, contentType: type)
                #expect(page.status == .badRequest, "\(body) as \(type)")
                #expect(page.body.contains("This form could not be read"))
                #expect(!page.body.contains(".."), "one full stop: \(body)")
            }
            #expect(try await browser.post("/passwords", raw: "csrf=\(csrf)&label=a&label=b").body.contains("The form sent the field label twice."))
            let huge = try await browser.post("/passwords", raw: "csrf=\(csrf)&label=" + String(repeating: "x", count: 100_000))
            #expect(huge.status == .contentTooLarge)
            for path in ["/sign-in", "/sign-out", "/passwords/1/rename"] {
                #expect(try await browser.post(path, raw: "%", contentType: "application/x-www-form-urlencoded").status == .badRequest, "\(path)")
            }
            let noFields = try await TestBrowser(client).post("/sign-in", raw: "")
            #expect(noFields.status == .forbidden)
        }
        #expect(try lab.manager.appPasswords(of: lab.alice).map(\.label) == ["Phone"])
    }

    @Test func unknownRoutesAre404Pages() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            for path in ["/nowhere", "/passwords/1", "/static/other.css", "/passwords/1/rename/more"] {
                let page = try await browser.get(path)
                #expect(page.status == .notFound, "\(path)")
                #expect(page.body.contains("Page not found"))
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            }
        }
    }

    @Test func theStyleSheetAndScriptAreServed() async throws {
        let lab = try PageLab()
        try await lab.app.test(.router) { client in
            let browser = TestBrowser(client)
            let css = try await browser.get("/static/clientpass.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
            #expect(css.body.contains("@media"))
            let script = try await browser.get("/static/clientpass.js")
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.body.contains("clipboard"))
        }
    }
}
