import HTTPTypes

/// A page that could not be shown as asked: its status, a heading and what to do.
struct PageError: Error {
    let status: HTTPResponse.Status
    let heading: String
    let message: String
    let link: (href: String, text: String)

    init(_ status: HTTPResponse.Status, _ heading: String, _ message: String, link: (String, String) = ("/", "Back to the start")) {
        self.status = status
        self.heading = heading
        self.message = message
        self.link = link
    }
}
