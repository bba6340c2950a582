import Hummingbird
import NIOHTTP1

extension WebError {
    /// The largest request line plus header fields the service reads (Hummingbird's HTTP/1 decoder limits, its defaults):
    /// named in the answer to a request over it.
    static let headerLimitKiB = 80

    /// The answer to a request that is not valid HTTP/1.1, so no route ever saw it: `400 malformed-http` (`431` for a
    /// request line or header fields over the limit) saying what was wrong with it. Before, Hummingbird answered these
    /// with an empty 400, and a malformed chunked body read by a route ended as a logged 500 `internal`.
    static func malformedHTTP(_ problem: MalformedHTTP) -> WebError {
        let (status, de, en) = Self.malformedHTTPDetail(problem)
        return WebError(status, code: "malformed-http", de: "Ungültige HTTP-Anfrage: \(de).", en: "Invalid HTTP request: \(en).")
    }

    /// What the service could not take of a request: what the HTTP/1 decoder refused, or a `CONNECT` (a tunnel).
    enum MalformedHTTP {
        case parser(HTTPParserError)
        case tunnel
    }

    private static func malformedHTTPDetail(_ problem: MalformedHTTP) -> (HTTPResponse.Status, String, String) {
        guard case .parser(let error) = problem else {
            return (.badRequest, "CONNECT wird nicht angenommen: der Dienst ist kein Proxy und baut keine Tunnel auf (er kennt GET, HEAD und POST)",
                    "CONNECT is not taken: the service is no proxy and opens no tunnels (it knows GET, HEAD and POST)")
        }
        switch error {
        case .invalidMethod:
            return (.badRequest, "unbekannte Methode in der Anfragezeile (der Dienst kennt GET, HEAD und POST)",
                    "unknown method in the request line (the service knows GET, HEAD and POST)")
        case .headerOverflow:
            return (.requestHeaderFieldsTooLarge,
                    "Anfragezeile (Adresse) oder Kopfzeilen zu lang (zusammen höchstens \(headerLimitKiB) KiB)",
                    "request line (address) or header fields too long (at most \(headerLimitKiB) KiB together)")
        case .invalidVersion:
            return (.badRequest, "unbekannte HTTP-Version (nur HTTP/1.0 und HTTP/1.1)",
                    "unknown HTTP version (HTTP/1.0 and HTTP/1.1 only)")
        case .invalidURL:
            return (.badRequest, "ungültige Adresse in der Anfragezeile", "invalid address in the request line")
        case .invalidHeaderToken, .invalidCharactersUsed:
            return (.badRequest, "unzulässiges Zeichen in einem Kopfzeilennamen oder -wert",
                    "a character not allowed in a header field's name or value")
        case .invalidContentLength, .unexpectedContentLength:
            return (.badRequest, "Content-Length ungültig, mehrfach oder neben Transfer-Encoding angegeben",
                    "Content-Length invalid, given twice or beside Transfer-Encoding")
        case .invalidChunkSize:
            return (.badRequest, "ungültige Chunk-Größe im Rumpf (Transfer-Encoding: chunked)",
                    "invalid chunk size in the body (Transfer-Encoding: chunked)")
        case .invalidEOFState, .closedConnection:
            return (.badRequest, "die Verbindung endete mitten in der Anfrage", "the connection ended in the middle of the request")
        default:
            return (.badRequest, "keine gültige HTTP/1.1-Nachricht (Zeilenende, Aufbau oder Rumpf)",
                    "not a valid HTTP/1.1 message (line ends, framing or body)")
        }
    }
}
