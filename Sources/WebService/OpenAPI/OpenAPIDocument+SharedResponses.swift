extension OpenAPIDocument {
    /// The schemas' second part, from `CSRFForm` on (after `auditAnswerSchemas`).
    static let componentsAfterAuditAnswers = #"""
    CSRFForm:
      type: object
      propertyNames: {pattern: "^[^\\u0000]+$", description: "a field name is not empty and holds no U+0000 (else 400)"}
      description: A form with only the session's CSRF token (`_csrf` of the page's form); a wrong one is 403.
      required: [_csrf]
      properties:
        _csrf: {type: string, pattern: "^[^\\u0000]*$"}
    CheckForm:
      type: object
      propertyNames: {pattern: "^[^\\u0000]+$", description: "a field name is not empty and holds no U+0000 (else 400)"}
      description: "The referral check form. Text without U+0000 (else 400 `invalid-field`); a missing subject, partner, purpose or field is 400 `missing-field`."
      required: [_csrf, subject, partner, purpose, fields]
      properties:
        _csrf: {type: string, pattern: "^[^\\u0000]*$"}
        subject: {type: string, pattern: "^\\s*[A-Za-z0-9][A-Za-z0-9._/-]{0,63}\\s*$", description: case id (white space at the ends is dropped)}
        birth-date: {type: string, format: date, description: only for a person not yet recorded}
        unaccompanied-minor: {type: string, enum: ["on"]}
        stated: {type: array, uniqueItems: true, items: {type: string, pattern: "^[^\\u0000]*$"}, description: "the ticked boxes of the policy's stateable boolean attributes (neither `subject:` nor `from:`, e.g. child-endangerment): each id is true for this decision only, logged with it; an id the page does not offer is 422"}
        partner: {type: string, pattern: "^[^\\u0000]*$"}
        purpose: {type: string, pattern: "^[^\\u0000]*$"}
        fields: {type: array, minItems: 1, uniqueItems: true, items: {type: string, pattern: "^[^\\u0000]*$"}, description: "each field id once (a field named twice is 400, nothing is logged)"}
    ConsentForm:
      type: object
      propertyNames: {pattern: "^[^\\u0000]+$", description: "a field name is not empty and holds no U+0000 (else 400)"}
      description: "Recording a consent from the signed paper declaration. Text without U+0000 (else 400 `invalid-field`)."
      required: [_csrf, subject, template, language]
      patternProperties:
        "^clauses\\.":
          type: array
          items: {type: string, pattern: "^[^\\u0000]*$"}
          description: "clauses.<template id>: the ticked clause ids of that template's boxes (the form's boxes); boxes of a template other than the chosen one are refused (400), at least one clause is needed"
      properties:
        _csrf: {type: string, pattern: "^[^\\u0000]*$"}
        subject: {type: string, pattern: "^\\s*[A-Za-z0-9][A-Za-z0-9._/-]{0,63}\\s*$", description: case id (white space at the ends is dropped)}
        birth-date: {type: string, format: date}
        unaccompanied-minor: {type: string, enum: ["on"]}
        template: {type: string, pattern: "^[^\\u0000]*$"}
        language: {type: string, pattern: "^[^\\u0000]*$"}
        clauses: {type: array, items: {type: string, pattern: "^[^\\u0000]*$"}, description: "clause ids of the chosen template (besides clauses.<template id>)"}
        granted-on: {type: string, format: date, description: the day the declaration was signed (default today)}
        guardians: {type: string, pattern: "^[^\\u0000]*$", description: one guardian name per line}
        record-expired: {type: string, enum: ["on"], description: "confirms recording a declaration whose validity had already ended (the form asks for it: 422 without)"}
        scan: {type: string, contentMediaType: application/octet-stream, description: "the scanned signed declaration; its SHA-256 becomes the consent's evidence (multipart only)"}
        scan-digest: {type: string, pattern: "^sha256:[0-9a-f]{64}$", description: "the checksum of a scan sent with a refused submission, kept by the form (a browser cannot refill a file field); used when no scan is sent"}
        scan-name: {type: string, pattern: "^[^\\u0000]*$", description: "that scan's file name, for display only"}
  parameters:
    AuditFilters:
      name: subject
      in: query
      required: false
      schema: {type: string, maxLength: 256, pattern: "^[^\\u0000]*$"}
      description: "Text filters (subject and also partner, purpose, actor, municipality) at most 256 characters, else 400 invalid-field. Also: partner, purpose, kind (repeatable), actor, municipality, since, until (RFC 3339 or date YYYY-MM-DD, a date meaning the start of that day in Europe/Berlin, as the pages and audit stats' months count days; before 2026-12-04 its midnight UTC), limit (1-10000, default 200; oldest first), after and before (an entry index: only entries above, or below, it; the next page is after=<last index of this one>, which loses and repeats nothing where times repeat within a second; every page is itself logged as audit-read, so a listing those entries match ends only with a fixed end: before=<the tree size of GET /v1/audit/checkpoint> on every page). A bad value is 400 invalid-field, and so is U+0000 in any of them."
  responses:
    ExportNotConfigured:
      description: The server was started without export folders (`--export-input-dir`, `--export-drive-dir`).
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    ExportPathInvalid:
      description: "A path is outside the allowed folder (`path-outside-allowed-directory`) or does not exist (`invalid-path`); the message names the field."
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    BadRequest:
      description: "Malformed JSON (also trailing commas, duplicate keys, numbers beyond ±(2^53 − 1)), unknown or missing field, wrong type, invalid value (`invalid-field`, also for U+0000 in any text and for a path parameter that does not percent-decode to UTF-8 text); the message names the field or parameter."
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    Unauthorized:
      description: No valid credentials.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    Forbidden:
      description: The role (or municipality) does not allow this.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    TooLarge:
      description: Body over the limit (256 KiB for JSON).
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    NotJSON:
      description: "Content-Type is not `application/json`, or names a `charset` other than UTF-8 (`charset=utf-8` or none: the body is read as UTF-8): `unsupported-media-type`."
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    Page:
      description: An HTML page.
      content:
        text/html: {}
    FormRejected:
      description: "The form is malformed (`malformed-form`: not UTF-8, bad percent-encoding, a broken multipart body) or a field contains U+0000 (`invalid-field`); an error page (JSON when the request accepts only `application/json`)."
      content:
        text/html: {}
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    FormTooLarge:
      description: "Form body over the limit (12 MiB for the consent recording form with the scan of the signed declaration, 64 KiB for every other form): `body-too-large`; an error page (JSON when the request accepts only `application/json`)."
      content:
        text/html: {}
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    NotForm:
      description: "Content-Type is neither `application/x-www-form-urlencoded` nor `multipart/form-data`, or names a `charset` other than UTF-8 (`unsupported-media-type`); an error page (JSON when the request accepts only `application/json`). A `multipart/form-data` without a boundary, with an empty one or one over 70 characters is 400 `malformed-form`."
      content:
        text/html: {}
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    Unavailable:
      description: "The request was in order but cannot be carried out now, so nothing was done; send it again later. `audit-log-unavailable`: the audit log cannot be signed (its key may not sign now, e.g. past its not-after, or cannot be opened: key file or passphrase missing, unreadable or damaged); `signing-key-unavailable` (recording a consent or a withdrawal): no consent-signer key may sign now (expired, revoked, no private-key file, or it cannot be opened); `storage`: the database failed. The message uses fixed words; the cause goes to the service's log. `busy` (routes of long work: export runs and dry runs, the audit log's verification, statistics, filtered listings and proofs): every lane for long work is taken and the queue for them is full; `Retry-After` says when to try again."
      headers:
        Retry-After:
          description: "Seconds; with `busy` only."
          schema: {type: integer}
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
    PageUnavailable:
      description: "As `Unavailable` for a page: an error page (JSON when the request accepts only `application/json`)."
      content:
        text/html: {}
        application/json:
          schema: {$ref: "#/components/schemas/Error"}
"""#
}
