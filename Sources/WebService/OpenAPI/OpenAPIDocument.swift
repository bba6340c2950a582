/// The OpenAPI 3.1 description of every route, served at `/openapi.yaml`. The same text is
/// `docs/openapi.yaml`; a test keeps the two identical and both in step with the router. The text is kept
/// in nine parts (this file, `+Components`, `+AuditSchemas`, `+SharedResponses`, `+Paths`, `+ConsentPaths`, `+AuditPaths`,
/// `+ExportPagePaths`, `+AdminPages`) only to keep each file readable.
enum OpenAPIDocument {
    /// The whole document.
    static let yaml = [header, components, auditAnswerSchemas, componentsAfterAuditAnswers, paths, consentPaths, auditAndExportPaths,
                       exportPagePaths, adminPagePaths].joined(separator: "\n")

    /// openapi, info, servers and tags.
    static let header = #"""
openapi: 3.1.0
info:
  title: ConsentGate web service
  version: "1"
  summary: Consent and data-sharing decisions for integration case management
  description: |
    JSON API under /v1 (bearer tokens from `consentgate users add`), HTML pages for case workers,
    data protection officers, exporters and administrators (session cookie and CSRF token), and service endpoints.
    Errors on /v1 and on the service endpoints (/health, /metrics, /openapi.yaml) are
    `{"error": {"code": "...", "message": "..."}}`; messages are German unless
    `?lang=en`, the `cg_lang` cookie or an `Accept-Language` preferring English asks for English. Times are UTC, RFC 3339.
    A request that is not valid HTTP/1.1, and a CONNECT, reaches no route: it is answered 400 `malformed-http` (431 for a request line
    and header fields over 80 KiB) with the reason in German and English in one message, and the connection is closed.
    Every GET route also answers HEAD (the GET's status and headers, no body).
    A /v1 route reads only the query parameters listed for it (and `lang`, `de` or `en` in any case): any other is 400
    `unknown-field`, one given twice (only `kind` may repeat), without a value or a `lang` other than de/en 400 `invalid-field`.
  license:
    name: Proprietary (county use)
servers:
  - url: http://127.0.0.1:8080
tags:
  - name: service
  - name: accounts
  - name: keys
    description: The trust store, read-only; keys are generated and rotated with `consentgate keys` only (a passphrase never travels over HTTP).
  - name: decisions
  - name: consents
  - name: audit
  - name: exports
    description: The shared-drive export (docs/export-job.md); paths are relative to the folders the server was started with.
  - name: pages
    description: HTML pages (text/html); POSTs are forms carrying the `_csrf` field of the session.
"""#
}
