extension OpenAPIDocument {
    /// Schemas, parameters and responses shared by the paths.
    static let components = #"""
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      description: API token `cg_…` shown once by `consentgate users add`.
    session:
      type: apiKey
      in: cookie
      name: cg_session
  schemas:
    Error:
      type: object
      additionalProperties: false
      required: [error]
      properties:
        error:
          type: object
          additionalProperties: false
          required: [code, message]
          properties:
            code:
              type: string
              examples: [unauthenticated, forbidden, csrf-token-invalid, denied, other-municipality, malformed-json, unknown-field, missing-field, wrong-type, invalid-field, malformed-form, bad-request, malformed-http, not-found, method-not-allowed, conflict, export-not-configured, body-too-large, unsupported-media-type, invalid-input, integrity, unknown-partner, unknown-purpose, path-outside-allowed-directory, invalid-path, too-many-attempts, cross-site-request, busy, audit-log-unavailable, signing-key-unavailable, storage, internal]
            message:
              type: string
    Account:
      type: object
      additionalProperties: false
      required: [name, role, created-at]
      properties:
        name: {type: string, pattern: "^[A-Za-z0-9._-]{1,64}$"}
        role: {type: string, enum: [caseworker, dpo, exporter, admin]}
        municipality: {type: [string, "null"]}
        created-at: {type: string, format: date-time}
        disabled-at: {type: [string, "null"], format: date-time}
    AccountToken:
      description: An account and its API token, which appears only in this response (the database keeps its SHA-256).
      type: object
      additionalProperties: false
      required: [account, token]
      properties:
        account: {$ref: "#/components/schemas/Account"}
        token: {type: string, pattern: "^cg_[A-Za-z0-9_-]{43}$"}
    NewAccount:
      type: object
      additionalProperties: false
      required: [name, role]
      properties:
        name: {type: string, pattern: "^[A-Za-z0-9._-]{1,64}$"}
        role: {type: string, enum: [caseworker, dpo, exporter, admin]}
        municipality: {type: string, description: required for caseworker, forbidden otherwise}
    KeySummary:
      description: "A key of the trust store, as `consentgate keys list --json` shows it (without the private key file: never a private key or its path)."
      allOf:
        - {$ref: "#/components/schemas/KeyMembers"}
      unevaluatedProperties: false
    KeyMembers:
      description: "The members every answer about a key has (open: `KeySummary` and `KeyDetail` close it)."
      type: object
      required: [kid, name, algorithm, roles, not-before, not-after, demo, state, public-key]
      properties:
        kid: {type: string, pattern: "^[A-Za-z0-9_-]{43}$", description: "RFC 7638 JWK thumbprint (SHA-256, base64url): the key's fingerprint"}
        name: {type: string}
        algorithm: {type: string, enum: [ed25519, p256]}
        roles: {type: array, items: {type: string, enum: [consent-signer, policy-signer, audit-log, export-signer]}}
        not-before: {type: string, format: date-time, description: "start of the validity window (inclusive), UTC"}
        not-after: {type: string, format: date-time, description: "end of the validity window (exclusive), UTC"}
        revoked-at: {type: string, format: date-time, description: "present only for a revoked key"}
        demo: {type: boolean, description: "a demo key shipped with the repository (accepted only in demo mode)"}
        state: {type: string, enum: [valid, not-yet-valid, expired, revoked], description: "at the time of the answer; `valid`: the key is valid now"}
        public-key: {type: string, description: "the public key file as the trust store names it"}
    KeyList:
      type: object
      additionalProperties: false
      required: [at, keys]
      properties:
        at: {type: string, format: date-time, description: "the time the states are for (now)"}
        keys:
          type: array
          description: In the trust store's order.
          items: {$ref: "#/components/schemas/KeySummary"}
    KeyDetail:
      description: "One key as `consentgate keys show --json` shows it: the KeySummary members plus the public key as JWK and PEM."
      unevaluatedProperties: false
      allOf:
        - {$ref: "#/components/schemas/KeyMembers"}
        - type: object
          required: [jwk, public-key-pem]
          properties:
            jwk: {type: object, additionalProperties: {type: string}, description: "crv, kty, x (and y for P-256)"}
            public-key-pem: {type: string, description: "SubjectPublicKeyInfo PEM (-----BEGIN PUBLIC KEY-----)"}
    Attributes:
      type: object
      additionalProperties: false
      description: "Attributes of a person not yet recorded; for a recorded person they count for this decision only (never stored), and a birth date other than the recorded one is 422 invalid-input (a decision uses the recorded birth date)."
      properties:
        birth-date: {type: string, format: date, description: "not after tomorrow (UTC) and not before 1900-01-01, else 400 invalid-field; a decision before the birth date (its day in Europe/Berlin) is 422 invalid-input"}
        municipality: {type: string}
        unaccompanied-minor: {type: boolean}
        guardians: {type: array, items: {type: string}}
    DecisionAttributes:
      type: object
      description: "The attributes of `Attributes` and, besides them, values of the policy's stateable attributes (declared with neither `subject:` nor `from:`; in the shipped policy `child-endangerment` and `household-school-age-child`, both boolean) by id, for this decision only: never stored with the person, logged with the decision (so that `audit explain` replays it). A value of the attribute's type (boolean, integer, string; a date as YYYY-MM-DD), else 400 `wrong-type` naming the field (`invalid-field` for a text that is no date); any other key is 400 `unknown-field` listing the keys allowed."
      properties:
        birth-date: {type: string, format: date, description: "as in `Attributes`"}
        municipality: {type: string}
        unaccompanied-minor: {type: boolean}
        guardians: {type: array, items: {type: string}}
      additionalProperties: {type: [boolean, integer, string]}
    DecisionRequest:
      type: object
      additionalProperties: false
      required: [subject, partner, purpose, fields]
      properties:
        subject: {type: string, pattern: "^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$", description: "case id (1-64 letters, digits, - _ . /, starting with a letter or digit), never a name; anything else is 400 invalid-field"}
        attributes: {$ref: "#/components/schemas/DecisionAttributes"}
        partner: {type: string}
        purpose: {type: string}
        fields: {type: array, minItems: 1, maxItems: 256, uniqueItems: true, items: {type: string, maxLength: 128}, description: "each field id once (a field named twice is 400 invalid-field, nothing is logged); at most 256 ids of at most 128 characters"}
        at: {type: string, format: date-time}
        referral: {type: string, minLength: 1, maxLength: 128, description: "A referral id: no control or text-direction characters (else 400 `invalid-field`)."}
    Decision:
      type: object
      description: CONTRACTS §4 (decision-version 1), with the audit index of its `decision` entry.
      required: [decision-version, policy, subject, partner, purpose, at, fields, released, audit]
      properties:
        decision-version: {const: 1}
        policy:
          type: object
          properties:
            id: {type: string}
            version: {type: string}
            digest: {type: string, pattern: "^sha256:[0-9a-f]{64}$"}
        subject: {type: string}
        partner: {type: string}
        purpose: {type: string}
        at: {type: string, format: date-time}
        fields:
          type: array
          items:
            type: object
            required: [field, outcome]
            properties:
              field: {type: string}
              outcome: {enum: [permit, deny]}
              rule: {type: string}
              reason: {enum: [no-matching-rule, forbidden, consent-missing, consent-expired, consent-revoked, consent-not-explicit, consent-invalid, condition-not-met, unknown-field]}
              consent:
                type: object
                properties:
                  id: {type: string}
                  clause: {type: string}
        released: {type: array, items: {type: string}}
        audit:
          type: object
          properties:
            index: {type: integer}
    GrantRequest:
      type: object
      additionalProperties: false
      required: [subject, template, language, clauses]
      properties:
        subject: {type: string, pattern: "^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$", description: "case id, as for decisions; anything else is 400 invalid-field"}
        attributes: {$ref: "#/components/schemas/Attributes"}
        template: {type: string}
        template-version: {type: integer, description: "the version printed on the signed paper; default: the template's current one. An earlier version the policy keeps (earlier-versions) is accepted only when it has a recordable-until and granted-at falls on or before that day in Europe/Berlin (the consent is then recorded on that version: its clauses, languages, minimum age and max-validity); otherwise refused (422) with a message naming the version, the current version and, after the window, its last day"}
        language: {type: string}
        clauses: {type: array, items: {type: string}}
        granted-at: {type: string, format: date-time}
        guardians:
          type: array
          maxItems: 8
          description: "The guardians who signed, at most 8 (more is 422 invalid-input naming guardians)."
          items:
            type: object
            additionalProperties: false
            required: [name]
            properties:
              name: {type: string}
              relation: {type: string}
        evidence: {type: string, pattern: "^sha256:[0-9a-f]{64}$"}
    Consent:
      type: object
      description: The consent as `consent show --json` prints it (id, subject, template, language, clauses, granted-at, expires-at, withdrawn-at, withdrawn-clauses, state, kid, collected-by, guardians, evidence, jws-sha256, failures).
      required: [id, state]
      properties:
        id: {type: string}
        withdrawn-at: {type: [string, "null"], description: "When the consent ended as a whole: withdrawn whole, or its last line withdrawn."}
        withdrawn-clauses:
          type: array
          description: "The lines (clauses) withdrawn singly, earliest first, each with its time; the other lines hold."
          items:
            type: object
            required: [clause, withdrawn-at]
            properties:
              clause: {type: string}
              withdrawn-at: {type: string, format: date-time}
        state: {enum: [active, not-yet-valid, expired, withdrawn, invalid, needs-birth-date], description: "`needs-birth-date`: in force by its dates, but no guardian signed and the person's birth date is not on record, so it permits nothing until the birth date is recorded."}
    ExportRequest:
      type: object
      additionalProperties: false
      required: [input, drive]
      properties:
        input: {type: string, description: "Registration list, relative to the server's export input folder (no `..`)."}
        drive: {type: string, description: "Drive folder, relative to the server's export drive folder (`.`: that folder)."}
        full: {type: boolean, default: false, description: Re-export every record, ignoring the ledger.}
        mapping: {type: string, description: "Header mapping file, relative to the export input folder."}
    ExportSummary:
      type: object
      required: [run-id, dry-run, read, quarantined, partners, recovered, input-sha256]
      properties:
        run-id: {type: string}
        dry-run: {type: boolean}
        read: {type: integer}
        quarantined: {type: integer}
        quarantine-report: {type: string, description: "Relative to the server's export input folder."}
        input-sha256: {type: string}
        recovered: {type: array, items: {type: string}}
        undeliverable-erasure-notices:
          type: object
          additionalProperties: {type: integer}
          description: "Erasure notices owed to partners the policy no longer knows, by partner: not written, still due."
        earlier-quarantine-reports: {type: integer, description: "Quarantine reports of earlier runs still beside the input (they name case ids); absent when none."}
        removed-quarantine-reports: {type: integer, description: "Quarantine reports of runs older than the server's retention period (`serve --remove-quarantine-reports-after`) that this run removed; absent when none."}
        withdrawals-during-run: {type: integer, description: "Consents that records of this run relied on and that were withdrawn while it decided: the records were decided again, from the time the withdrawals were seen (the run id is of that time); absent when none."}
        deferred-partners: {type: array, items: {type: string}, description: "Partners not delivered in this run: a consent their records relied on was withdrawn while earlier partners were logged; nothing of their part was logged, the next run decides it afresh; absent when none."}
        partners:
          type: array
          items:
            type: object
            required: [partner, folder, purpose, records, erasure-notices, columns]
            properties:
              partner: {type: string}
              folder: {type: string}
              purpose: {type: string}
              records: {type: integer}
              erasure-notices: {type: integer}
              columns: {type: array, items: {type: string}}
              path: {type: string, description: "The published folder, relative to the server's export drive folder."}
    ExportRun:
      type: object
      required: [id, state, actor, started-at]
      properties:
        id: {type: string}
        state: {type: string, enum: [queued, running, succeeded, failed]}
        actor: {type: string}
        started-at: {type: string, format: date-time}
        began-at: {type: string, format: date-time, description: "When the job began work (a lane for long work was free); absent while queued."}
        finished-at: {type: string, format: date-time}
        summary: {$ref: "#/components/schemas/ExportSummary"}
        error: {type: string, description: Why the run failed (German or English).}
    AuditEntries:
      type: array
      items:
        type: object
        required: [index, entry]
        properties:
          index: {type: integer}
          entry: {type: object, description: the entry as logged (RFC 8785 canonical JSON)}
"""#

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
