/// The OpenAPI 3.1 description of every route, served at `/openapi.yaml`. The same text is
/// `docs/openapi.yaml`; a test keeps the two identical and both in step with the router.
enum OpenAPIDocument {
    static let yaml = #"""
openapi: 3.1.0
info:
  title: ConsentGate web service
  version: "1"
  summary: Consent and data-sharing decisions for integration case management
  description: |
    JSON API under /v1 (bearer tokens from `consentgate users add`), HTML pages for case workers
    and data protection officers (session cookie and CSRF token), and service endpoints.
    Errors on /v1 are `{"error": {"code": "...", "message": "..."}}`; messages are German unless
    `?lang=en` or the `cg_lang` cookie asks for English. Times are UTC, RFC 3339.
  license:
    name: Proprietary (county use)
servers:
  - url: http://127.0.0.1:8080
tags:
  - name: service
  - name: accounts
  - name: decisions
  - name: consents
  - name: audit
  - name: exports
    description: The shared-drive export (docs/export.md §11); paths are relative to the folders the server was started with.
  - name: pages
    description: HTML pages (text/html); POSTs are forms carrying the `_csrf` field of the session.
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
              examples: [unauthenticated, forbidden, malformed-json, unknown-field, missing-field, wrong-type, invalid-field, body-too-large, unsupported-media-type, not-found, conflict, invalid-input]
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
    NewAccount:
      type: object
      additionalProperties: false
      required: [name, role]
      properties:
        name: {type: string, pattern: "^[A-Za-z0-9._-]{1,64}$"}
        role: {type: string, enum: [caseworker, dpo, exporter, admin]}
        municipality: {type: string, description: required for caseworker, forbidden otherwise}
    Attributes:
      type: object
      additionalProperties: false
      description: Attributes of a person not yet recorded (or corrections); they take precedence over the stored ones.
      properties:
        birth-date: {type: string, format: date}
        municipality: {type: string}
        unaccompanied-minor: {type: boolean}
        guardians: {type: array, items: {type: string}}
    DecisionRequest:
      type: object
      additionalProperties: false
      required: [subject, partner, purpose, fields]
      properties:
        subject: {type: string, description: case id, never a name}
        attributes: {$ref: "#/components/schemas/Attributes"}
        partner: {type: string}
        purpose: {type: string}
        fields: {type: array, minItems: 1, items: {type: string}}
        at: {type: string, format: date-time}
        referral: {type: string}
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
        subject: {type: string}
        attributes: {$ref: "#/components/schemas/Attributes"}
        template: {type: string}
        template-version: {type: integer}
        language: {type: string}
        clauses: {type: array, items: {type: string}}
        granted-at: {type: string, format: date-time}
        guardians:
          type: array
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
      description: The consent as `consent show --json` prints it (id, subject, template, language, clauses, granted-at, expires-at, withdrawn-at, state, kid, collected-by, guardians, evidence, jws-sha256, failures).
      required: [id, state]
      properties:
        id: {type: string}
        state: {enum: [active, not-yet-valid, expired, withdrawn, invalid]}
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
        quarantine-report: {type: string}
        input-sha256: {type: string}
        recovered: {type: array, items: {type: string}}
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
              path: {type: string}
    ExportRun:
      type: object
      required: [id, state, actor, started-at]
      properties:
        id: {type: string}
        state: {type: string, enum: [running, succeeded, failed]}
        actor: {type: string}
        started-at: {type: string, format: date-time}
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
  parameters:
    AuditFilters:
      name: subject
      in: query
      required: false
      schema: {type: string}
      description: "Also: partner, purpose, kind (repeatable), actor, municipality, since, until (RFC 3339 or date), limit (1-10000, default 200)."
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
      description: Malformed JSON, unknown or missing field, wrong type.
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
    Page:
      description: An HTML page.
      content:
        text/html: {}
paths:
  /health:
    get:
      tags: [service]
      summary: "Liveness (plain `ok`)"
      operationId: health
      responses:
        "200":
          description: The service runs.
          content:
            text/plain: {}
  /metrics:
    get:
      tags: [service]
      summary: "Prometheus metrics (request counts by route and status, latency histogram, decision counts)"
      operationId: metrics
      responses:
        "200":
          description: Text exposition format 0.0.4.
          content:
            text/plain: {}
  /openapi.yaml:
    get:
      tags: [service]
      summary: "This document"
      operationId: openapi
      responses:
        "200":
          description: OpenAPI 3.1 YAML.
          content:
            application/yaml: {}
  /assets/style.css:
    get:
      tags: [pages]
      summary: "The pages' stylesheet (screen and print)"
      operationId: stylesheet
      responses:
        "200":
          description: CSS.
          content:
            text/css: {}
  /v1/me:
    get:
      tags: [accounts]
      summary: "The account the token belongs to"
      operationId: me
      security: [{bearer: []}]
      x-roles: [caseworker, dpo, exporter, admin]
      responses:
        "200":
          description: The account.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Account"}
        "401": {$ref: "#/components/responses/Unauthorized"}
  /v1/accounts:
    get:
      tags: [accounts]
      summary: "List accounts"
      operationId: listAccounts
      security: [{bearer: []}]
      x-roles: [admin]
      responses:
        "200":
          description: Every account, by name.
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/Account"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
    post:
      tags: [accounts]
      summary: "Create an account (API token only; the page password is set with `consentgate users`)"
      operationId: createAccount
      security: [{bearer: []}]
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewAccount"}
      responses:
        "201":
          description: Created; the token is shown only in this response.
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                required: [account, token]
                properties:
                  account: {$ref: "#/components/schemas/Account"}
                  token: {type: string, pattern: "^cg_[A-Za-z0-9_-]{43}$"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "409":
          description: Name taken.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "415":
          description: Not application/json.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "422":
          description: Invalid name or role/municipality combination.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
  /:
    get:
      tags: [pages]
      summary: "Start page of the signed-in role (redirects to /login otherwise)"
      operationId: startPage
      security: [{session: []}]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: Not signed in; to /login.
  /login:
    get:
      tags: [pages]
      summary: "Login form"
      operationId: loginForm
      responses:
        "200": {$ref: "#/components/responses/Page"}
    post:
      tags: [pages]
      summary: "Log in (form fields name, password, _csrf)"
      operationId: login
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [name, password, _csrf]
              properties:
                name: {type: string}
                password: {type: string}
                _csrf: {type: string}
      responses:
        "303":
          description: Logged in; new session cookie (HttpOnly, SameSite=Strict, Secure over TLS); to /.
        "401": {$ref: "#/components/responses/Page"}
        "403":
          description: CSRF token missing or wrong.
  /logout:
    post:
      tags: [pages]
      summary: "Log out (form field _csrf)"
      operationId: logout
      security: [{session: []}]
      x-roles: [caseworker, dpo, exporter, admin]
      responses:
        "303":
          description: Session ended; to /login.
        "401": {$ref: "#/components/responses/Page"}
        "403":
          description: CSRF token missing or wrong.
  /v1/decisions:
    post:
      tags: [decisions]
      summary: "Decide per field and record the decision (CONTRACTS §4)"
      operationId: decide
      security: [{bearer: []}]
      x-roles: [caseworker]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/DecisionRequest"}
      responses:
        "200":
          description: The decision, already in the audit log.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Decision"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "422":
          description: Unknown partner or purpose.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
  /v1/consents:
    post:
      tags: [consents]
      summary: "Record a signed consent (signed with the consent-signer key, logged)"
      operationId: grantConsent
      security: [{bearer: []}]
      x-roles: [caseworker]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/GrantRequest"}
      responses:
        "201":
          description: Stored and logged.
          content:
            application/json:
              schema:
                type: object
                properties:
                  consent: {$ref: "#/components/schemas/Consent"}
                  audit: {type: object, properties: {index: {type: integer}}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "422":
          description: Invalid consent (unknown template or clause, guardian missing, ...).
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
  /v1/consents/{id}:
    get:
      tags: [consents]
      summary: "Show a consent and its state now"
      operationId: showConsent
      security: [{bearer: []}]
      x-roles: [caseworker, dpo]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The consent.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Consent"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404":
          description: No such consent.
  /v1/consents/{id}/withdraw:
    post:
      tags: [consents]
      summary: "Withdraw a consent now (signed withdrawal, logged; idempotent)"
      operationId: withdrawConsent
      security: [{bearer: []}]
      x-roles: [caseworker]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: Withdrawn (or already withdrawn; then audit is null).
          content:
            application/json:
              schema:
                type: object
                properties:
                  consent: {$ref: "#/components/schemas/Consent"}
                  audit: {type: [object, "null"]}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404":
          description: No such consent.
  /v1/subjects/{id}/consents:
    get:
      tags: [consents]
      summary: "List a person's consents"
      operationId: listConsents
      security: [{bearer: []}]
      x-roles: [caseworker, dpo]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The consents.
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/Consent"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
  /v1/consent-templates/{id}/form:
    get:
      tags: [consents]
      summary: "Printable declaration of a template in a language (HTML)"
      operationId: consentForm
      security: [{bearer: []}]
      x-roles: [caseworker, dpo, exporter, admin]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: language, in: query, required: false, schema: {type: string, default: de}}
      responses:
        "200":
          description: The declaration.
          content:
            text/html: {}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404":
          description: No such template.
  /v1/audit/checkpoint:
    get:
      tags: [audit]
      summary: "The latest signed checkpoint (C2SP signed note)"
      operationId: auditCheckpoint
      security: [{bearer: []}]
      x-roles: [dpo]
      responses:
        "200":
          description: The checkpoint.
          content:
            text/plain: {}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
  /v1/audit/entries:
    get:
      tags: [audit]
      summary: "Entries matching filters (logged as audit-read)"
      operationId: auditEntries
      security: [{bearer: []}]
      x-roles: [dpo]
      parameters:
        - {$ref: "#/components/parameters/AuditFilters"}
      responses:
        "200":
          description: The entries.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/AuditEntries"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
  /v1/audit/entries/{index}:
    get:
      tags: [audit]
      summary: "One entry (logged as audit-read)"
      operationId: auditEntry
      security: [{bearer: []}]
      x-roles: [dpo]
      parameters:
        - {name: index, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: The entry.
          content:
            application/json: {}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404":
          description: No such entry.
  /v1/audit/proofs/inclusion:
    get:
      tags: [audit]
      summary: "RFC 9162 inclusion proof (leaf-index, tree-size, hashes in base64)"
      operationId: inclusionProof
      security: [{bearer: []}]
      x-roles: [dpo]
      parameters:
        - {name: index, in: query, required: true, schema: {type: integer}}
        - {name: size, in: query, required: false, schema: {type: integer}}
      responses:
        "200":
          description: The proof.
          content:
            application/json: {}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
  /v1/audit/proofs/consistency:
    get:
      tags: [audit]
      summary: "RFC 9162 consistency proof between two tree sizes"
      operationId: consistencyProof
      security: [{bearer: []}]
      x-roles: [dpo]
      parameters:
        - {name: from, in: query, required: true, schema: {type: integer}}
        - {name: to, in: query, required: true, schema: {type: integer}}
      responses:
        "200":
          description: The proof.
          content:
            application/json: {}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
  /v1/audit/report/{subject}:
    get:
      tags: [audit]
      summary: "GDPR Art. 15 report: which recipients got which data (logged as audit-read)"
      operationId: subjectReport
      security: [{bearer: []}]
      x-roles: [dpo]
      parameters:
        - {name: subject, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The report.
          content:
            application/json: {}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
  /v1/audit/stats:
    get:
      tags: [audit]
      summary: "Disclosures and releasing checks per partner per month (logged as audit-read)"
      operationId: auditStats
      security: [{bearer: []}]
      x-roles: [dpo]
      parameters:
        - {$ref: "#/components/parameters/AuditFilters"}
      responses:
        "200":
          description: Rows of partner, month, disclosures, referrals.
          content:
            application/json: {}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
  /v1/audit/verify:
    get:
      tags: [audit]
      summary: "Recompute the tree and check every checkpoint (as `audit verify`)"
      operationId: auditVerify
      security: [{bearer: []}]
      x-roles: [dpo]
      responses:
        "200":
          description: "{ok, size, checkpoints, problem}"
          content:
            application/json: {}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
  /v1/exports:
    post:
      tags: [exports]
      summary: "Start an export run in the background"
      operationId: startExport
      security: [{bearer: []}]
      x-roles: [exporter]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ExportRequest"}
      responses:
        "202":
          description: Started; poll the `Location` (`/v1/exports/{id}`).
          headers:
            Location:
              schema: {type: string}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/ExportRun"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "409": {$ref: "#/components/responses/ExportNotConfigured"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "422": {$ref: "#/components/responses/ExportPathInvalid"}
  /v1/exports/dry-run:
    post:
      tags: [exports]
      summary: "What a run would send to whom (records and columns per partner); writes nothing"
      operationId: dryRunExport
      security: [{bearer: []}]
      x-roles: [exporter]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/ExportRequest"}
      responses:
        "200":
          description: The dry run's summary.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/ExportSummary"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "409": {$ref: "#/components/responses/ExportNotConfigured"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "422": {$ref: "#/components/responses/ExportPathInvalid"}
  /v1/exports/{id}:
    get:
      tags: [exports]
      summary: "A run's status: running, succeeded (with the summary) or failed (with the reason)"
      operationId: exportStatus
      security: [{bearer: []}]
      x-roles: [exporter]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The run.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/ExportRun"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404":
          description: No such run (statuses are kept in the database, also across restarts).
        "409": {$ref: "#/components/responses/ExportNotConfigured"}
  /check:
    get:
      tags: [pages]
      summary: "Referral check form"
      operationId: checkForm
      security: [{session: []}]
      x-roles: [caseworker]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: After a successful POST.
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
    post:
      tags: [pages]
      summary: "Run a referral check (fields subject, birth-date, unaccompanied-minor, partner, purpose, fields, _csrf); green/red table"
      operationId: checkRun
      security: [{session: []}]
      x-roles: [caseworker]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: After a successful POST.
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
  /check/{index}/sheet.csv:
    get:
      tags: [pages]
      parameters:
        - {name: index, in: path, required: true, schema: {type: string}}
      summary: "Referral sheet: the released fields of a logged decision (CSV for Excel)"
      operationId: checkSheet
      security: [{session: []}]
      x-roles: [caseworker]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: After a successful POST.
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
  /consents/new:
    get:
      tags: [pages]
      summary: "Form to record a consent from the signed paper declaration"
      operationId: consentNewForm
      security: [{session: []}]
      x-roles: [caseworker]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: After a successful POST.
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
  /consents:
    post:
      tags: [pages]
      summary: "Record a consent (multipart: subject, birth-date, template, language, clauses, granted-on, guardians, scan, _csrf)"
      operationId: consentRecord
      security: [{session: []}]
      x-roles: [caseworker]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: After a successful POST.
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
  /consents/{id}:
    get:
      tags: [pages]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      summary: "A consent and its state, with the withdraw button"
      operationId: consentPage
      security: [{session: []}]
      x-roles: [caseworker, dpo]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: After a successful POST.
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
  /consents/{id}/withdraw:
    post:
      tags: [pages]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      summary: "Withdraw (form field _csrf)"
      operationId: consentWithdrawPage
      security: [{session: []}]
      x-roles: [caseworker]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: After a successful POST.
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
  /consents/{id}/declaration:
    get:
      tags: [pages]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      summary: "The declaration in the person's language, to print"
      operationId: consentDeclaration
      security: [{session: []}]
      x-roles: [caseworker, dpo]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: After a successful POST.
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
  /audit:
    get:
      tags: [pages]
      summary: "Audit log with filters and verification status (logged as audit-read)"
      operationId: auditPage
      security: [{session: []}]
      x-roles: [dpo]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: After a successful POST.
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
  /audit/entries/{index}:
    get:
      tags: [pages]
      parameters:
        - {name: index, in: path, required: true, schema: {type: string}}
      summary: "One entry; ?explain=1 re-evaluates a decision"
      operationId: auditEntryPage
      security: [{session: []}]
      x-roles: [dpo]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: After a successful POST.
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
  /audit/report:
    get:
      tags: [pages]
      summary: "GDPR Art. 15 report for ?subject="
      operationId: auditReportPage
      security: [{session: []}]
      x-roles: [dpo]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: After a successful POST.
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
  /audit/stats:
    get:
      tags: [pages]
      summary: "Disclosures per partner per month"
      operationId: auditStatsPage
      security: [{session: []}]
      x-roles: [dpo]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: After a successful POST.
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}

"""#
}
