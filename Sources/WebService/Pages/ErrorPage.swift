import Diagnostics
import Hummingbird

/// The HTML page for an error, with the error's status. A 401 offers the login page.
enum ErrorPage {
    static func response(_ error: WebError, context: AppRequestContext, path: String, query: String? = nil) -> Response {
        let l = context.language
        let next: HTML = error.status == .unauthorized
            ? "<p><a class=\"button\" href=\"/login\">\(PageText.goToLogin[l])</a></p>"
            : "<p><a href=\"/\">\(PageText.backToStart[l])</a></p>"
        let content: HTML = """
        <div class="alert" role="alert"><p><strong>\(error.status.code) \(error.status.reasonPhrase)</strong></p><p>\(error.message[l])</p></div>
        \(next)
        """
        let layout = Layout(language: l, account: context.account, session: context.session, path: path, query: query)
        return PageResponse.html(layout.render(title: PageText.errorTitle, content: content), status: error.status)
    }
}

/// Building HTML and plain responses.
enum PageResponse {
    /// An HTML document response.
    static func html(_ document: HTML, status: HTTPResponse.Status = .ok) -> Response {
        let buffer = ByteBuffer(string: document.markup)
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .contentLength: String(buffer.readableBytes)],
                        body: .init(byteBuffer: buffer))
    }

    /// A 303 redirect (after a POST, so reloading does not resubmit).
    static func seeOther(_ location: String) -> Response { .redirect(to: location, type: .normal) }
}
