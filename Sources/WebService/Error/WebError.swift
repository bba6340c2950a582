import Diagnostics
import Foundation
import Gate
import Hummingbird
import Signing

/// An error that knows its HTTP status, a stable machine-readable code, and its message in German
/// and English. `ErrorMiddleware` renders it as `{"error": {"code", "message"}}` on `/v1` and as an
/// error page elsewhere.
public struct WebError: Error, Sendable, Equatable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// Stable code for programs (`unauthenticated`, `forbidden`, `malformed-json`, ...).
    public var code: String
    /// What went wrong, for people.
    public var message: LocalizedText
    /// What the module said, for the service's log only (never answered): set for a storage failure, whose own message
    /// can hold an SQL statement, a file path or a Swift value's description (`ErrorMiddleware` logs it).
    public var logDetail: String?
    /// The query parameter a refusal is about, when it is about one (`since`, `kind`, ...): a page answering a refused GET
    /// form links the problem to that parameter's control (`FormProblems(query:)`) from this, not from the message's words.
    public var parameter: String?

    /// An error answered with `status` and `code`, and its message in German and English; no log detail.
    public init(_ status: HTTPResponse.Status, code: String, de: String, en: String) {
        self.status = status; self.code = code; self.message = LocalizedText(de: de, en: en)
    }

    /// The answer to a storage failure (503 `storage`): the same words whatever failed; the store's own message goes to
    /// the log (`logDetail`). Found in the web review: answers carried "SQLite error 1: no such table: subject - while
    /// executing `SELECT * FROM subject WHERE id = ?`" and "storage(operation: \"append entry 11\", reason: …)".
    public static func storage(detail: String) -> WebError {
        var e = WebError(.serviceUnavailable, code: "storage",
                         de: "Die Datenbank des Dienstes hat einen Fehler gemeldet; er wurde protokolliert. Bitte später erneut versuchen oder die Administration verständigen.",
                         en: "The service's database reported an error; it has been logged. Please try again later or tell the administrator.")
        e.logDetail = detail
        return e
    }

    /// The answer when the audit log cannot be signed (503 `audit-log-unavailable`, `AuditSigningUnavailable`): the
    /// audit-log key may not sign now or cannot be opened (expired, revoked, its file unreadable or damaged, the
    /// passphrase gone). Every request that acts is recorded first, so none can be carried out; the request itself was in
    /// order, and it may be sent again once the key is put right. Before, such a request was answered 422 `invalid-input`
    /// with the key error's text, as if the caller had sent something wrong. The answer names no file; the key error goes
    /// to the log (`logDetail`).
    public static func auditSigningUnavailable(detail: String) -> WebError {
        var e = WebError(.serviceUnavailable, code: "audit-log-unavailable",
                         de: "Das Audit-Protokoll kann derzeit nicht signiert werden (der Schlüssel des Audit-Protokolls ist nicht verwendbar); die Anfrage wurde daher nicht ausgeführt und nichts protokolliert. Der Grund wurde protokolliert; bitte die Administration verständigen und die Anfrage später erneut senden.",
                         en: "The audit log cannot be signed at the moment (the audit log's key cannot be used), so the request was not carried out and nothing was recorded. The reason has been logged; please tell the administrator and send the request again later.")
        e.logDetail = detail
        e.logLabel = "audit log cannot be signed"
        return e
    }

    /// The answer when no key may sign for `role` now (503 `signing-key-unavailable`, `SigningKeyUnavailable`): every key
    /// with the role is expired, revoked or not yet valid, none has its private-key file here, or the one to use cannot
    /// be opened. The request was in order and was not carried out; nothing was recorded. Before, recording a consent then
    /// answered 422 `integrity` with the keys' names, kids and revocation times, as if the request were at fault, and
    /// nothing was logged (found in a key review). The answer names no key; the key error goes to the log (`logDetail`).
    public static func signingKeyUnavailable(role: KeyRole, detail: String) -> WebError {
        var e = role == .consentSigner
            ? WebError(.serviceUnavailable, code: "signing-key-unavailable",
                       de: "Einwilligungen und Widerrufe können derzeit nicht signiert werden (kein verwendbarer Schlüssel zum Signieren von Einwilligungen); die Anfrage wurde daher nicht ausgeführt und nichts gespeichert. Der Grund wurde protokolliert; bitte die Administration verständigen und die Anfrage später erneut senden.",
                       en: "Consents and withdrawals cannot be signed at the moment (no usable key for signing consents), so the request was not carried out and nothing was recorded. The reason has been logged; please tell the administrator and send the request again later.")
            : WebError(.serviceUnavailable, code: "signing-key-unavailable",
                       de: "Derzeit kann nicht signiert werden (kein verwendbarer Schlüssel für die Rolle \(role.rawValue)); die Anfrage wurde daher nicht ausgeführt und nichts gespeichert. Der Grund wurde protokolliert; bitte die Administration verständigen und die Anfrage später erneut senden.",
                       en: "Nothing can be signed for role \(role.rawValue) at the moment (no usable key), so the request was not carried out and nothing was recorded. The reason has been logged; please tell the administrator and send the request again later.")
        e.logDetail = detail
        e.logLabel = "no usable key for role \(role.rawValue)"
        return e
    }

    /// The answer when every lane for long work is taken and the queue for them is full (503 `busy`, `LongWork`): the
    /// request was in order and nothing was done; `Retry-After` says when to try again.
    static func longWorkBusy(running: Int, waiting: Int) -> WebError {
        var e = WebError(.serviceUnavailable, code: "busy",
                         de: "Der Dienst ist mit langen Arbeiten ausgelastet (Exporte, Prüfungen und Auswertungen des Protokolls: \(running) laufen, \(waiting) warten); die Anfrage wurde nicht angenommen. Bitte in \(longWorkRetrySeconds) Sekunden erneut versuchen.",
                         en: "The service is busy with long work (exports, verifications and statistics of the audit log: \(running) running, \(waiting) waiting), so the request was not accepted. Please try again in \(longWorkRetrySeconds) seconds.")
        e.retryAfterSeconds = longWorkRetrySeconds
        return e
    }

    /// What `Retry-After` says when long work is refused.
    static let longWorkRetrySeconds = 30

    /// Seconds after which the request may be sent again (`Retry-After`, `ErrorMiddleware`); nil: no such header.
    public var retryAfterSeconds: Int?

    /// What the log line of an answer with `logDetail` says (`ErrorMiddleware`).
    public var logLabel = "storage failure"

    /// 401: no or invalid credentials.
    public static let unauthenticated = WebError(.unauthorized, code: "unauthenticated",
        de: "Anmeldung erforderlich: gültiges API-Token (Authorization: Bearer …) oder Sitzung fehlt",
        en: "authentication required: no valid API token (Authorization: Bearer …) or session")
    /// 403: authenticated, but not allowed.
    public static func forbidden(_ why: LocalizedText) -> WebError {
        WebError(.forbidden, code: "forbidden", de: why.de, en: why.en)
    }
    /// 403: the form's CSRF token is missing or wrong.
    public static let csrf = WebError(.forbidden, code: "csrf-token-invalid",
        de: "Das Formular ist abgelaufen oder stammt nicht von dieser Sitzung (CSRF-Token fehlt oder ist falsch). Bitte die Seite neu laden.",
        en: "The form has expired or did not come from this session (CSRF token missing or wrong). Please reload the page.")
    /// 404.
    public static func notFound(_ path: String) -> WebError {
        WebError(.notFound, code: "not-found", de: "Nicht gefunden: \(path)", en: "not found: \(path)")
    }
    /// 404 for a thing named in words (`Protokolleintrag 17` / `audit entry 17`), so the German answer has no English in it.
    public static func notFound(_ what: LocalizedText) -> WebError {
        WebError(.notFound, code: "not-found", de: "Nicht gefunden: \(what.de)", en: "not found: \(what.en)")
    }
    /// 405: the path exists, but not for this method; `allowed` goes into the `Allow` header too.
    public static func methodNotAllowed(_ method: String, path: String, allowed: [String]) -> WebError {
        let list = allowed.joined(separator: ", ")
        return WebError(.methodNotAllowed, code: "method-not-allowed",
                        de: "Methode \(method) ist für \(path) nicht erlaubt (erlaubt: \(list))",
                        en: "method \(method) is not allowed for \(path) (allowed: \(list))")
    }
    /// 413: body over the limit.
    public static func bodyTooLarge(limit: Int) -> WebError {
        WebError(.contentTooLarge, code: "body-too-large",
                 de: "Anfrage zu groß: höchstens \(limit) Bytes erlaubt", en: "request body too large: at most \(limit) bytes allowed")
    }
    /// 415: wrong content type; `expected`, the types the route takes.
    public static func unsupportedMediaType(expected: [String], got: String?) -> WebError {
        WebError(.unsupportedMediaType, code: "unsupported-media-type",
                 de: "Content-Type \(got ?? "(fehlt)") nicht unterstützt: erwartet \(expected.joined(separator: " oder "))",
                 en: "Content-Type \(got ?? "(missing)") not supported: expected \(expected.joined(separator: " or "))")
    }
    /// 400: a request field is wrong.
    public static func badRequest(code: String, de: String, en: String) -> WebError { WebError(.badRequest, code: code, de: de, en: en) }
    /// 400: query parameter `parameter` is wrong (named in `parameter` too, for the page's form).
    public static func badParameter(_ parameter: String, code: String = "invalid-field", de: String, en: String) -> WebError {
        var e = WebError(.badRequest, code: code, de: de, en: en)
        e.parameter = parameter
        return e
    }

    /// Maps a module's `UserFacingError` to a status by its category: bad input 422, denial 403,
    /// integrity 422, storage 503 (the store failing is not the caller's fault, but is no crash either); an audit log that
    /// cannot be signed (`AuditSigningUnavailable`) 503 `audit-log-unavailable`, whatever its reason's category; no key
    /// that may sign for a role (`SigningKeyUnavailable`) 503 `signing-key-unavailable`, likewise; a
    /// malformed decision request (`DecisionRequestError`) is a 400 `invalid-field`, as the body's own checks answer.
    public init(_ error: any UserFacingError) {
        let status: HTTPResponse.Status
        let code: String
        switch error {
        case AccountError.duplicateName, AccountError.alreadyDisabled, AccountError.disabled: (status, code) = (.conflict, "conflict")
        case AccountError.unknownAccount: (status, code) = (.notFound, "not-found")
        // A malformed decision request (no field, a field twice), refused by the gate: a request field is wrong.
        case is DecisionRequestError: (status, code) = (.badRequest, "invalid-field")
        // The audit-log key cannot sign: the service's fault, not the request's, whatever the key error's category.
        case let e as AuditSigningUnavailable:
            self = .auditSigningUnavailable(detail: "\(String(reflecting: type(of: e.reason))): \(e.message(in: .en))")
            return
        // No key may sign consents (or another role) now: the service's fault too.
        case let e as SigningKeyUnavailable:
            self = .signingKeyUnavailable(role: e.role, detail: "\(String(reflecting: type(of: e.reason))): \(e.message(in: .en))")
            return
        default:
            switch error.category {
            case .denied: (status, code) = (.forbidden, "denied")
            case .usage, .invalidInput: (status, code) = (.unprocessableContent, "invalid-input")
            case .integrity: (status, code) = (.unprocessableContent, "integrity")
            case .storage:
                self = .storage(detail: "\(String(reflecting: type(of: error))): \(error.message(in: .en))")
                return
            }
        }
        self.init(status, code: code, de: error.message(in: .de), en: error.message(in: .en))
    }
}
