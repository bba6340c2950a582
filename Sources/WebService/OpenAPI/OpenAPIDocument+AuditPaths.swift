extension OpenAPIDocument {
    /// The audit log and export runs.
    static let auditAndExportPaths = #"""
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
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404":
          description: The log has no checkpoint yet.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
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
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/audit/entries/{index}:
    get:
      tags: [audit]
      summary: "One entry (logged as audit-read)"
      operationId: auditEntry
      security: [{bearer: []}]
      x-roles: [dpo]
      parameters:
        - {name: index, in: path, required: true, schema: {type: integer, minimum: 0, maximum: 9223372036854775807}}
      responses:
        "200":
          description: The entry.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/AuditEntry"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404":
          description: No such entry.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/audit/proofs/inclusion:
    get:
      tags: [audit]
      summary: "RFC 9162 inclusion proof (leaf-index, tree-size, hashes in base64)"
      operationId: inclusionProof
      security: [{bearer: []}]
      x-roles: [dpo]
      parameters:
        - {name: index, in: query, required: true, schema: {type: integer, minimum: 0, maximum: 9223372036854775807}}
        - {name: size, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 9223372036854775807}}
      responses:
        "200":
          description: The proof.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/InclusionProof"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "422":
          description: "`invalid-input`: size beyond the log, or index not below size."
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/audit/proofs/consistency:
    get:
      tags: [audit]
      summary: "RFC 9162 consistency proof between two tree sizes"
      operationId: consistencyProof
      security: [{bearer: []}]
      x-roles: [dpo]
      parameters:
        - {name: from, in: query, required: true, schema: {type: integer, minimum: 1, maximum: 9223372036854775807}}
        - {name: to, in: query, required: true, schema: {type: integer, minimum: 1, maximum: 9223372036854775807}}
      responses:
        "200":
          description: The proof.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/ConsistencyProof"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "422":
          description: "`invalid-input`: from above to, or to beyond the log."
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/audit/report/{subject}:
    get:
      tags: [audit]
      summary: "GDPR Art. 15 report: which recipients got which data (logged as audit-read)"
      operationId: subjectReport
      security: [{bearer: []}]
      x-roles: [dpo]
      parameters:
        - {name: subject, in: path, required: true, schema: {type: string, maxLength: 256, pattern: "^[^\\u0000-\\u001F\\u007F-\\u009F]+$"}, description: "The case id, percent-encoded (`RSK%2F2022%2F1` for RSK/2022/1); anything that is no case id (1-64 letters, digits, - _ . /, starting with a letter or digit) is 400 invalid-field."}
      responses:
        "200":
          description: The report.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/SubjectReport"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/audit/stats:
    get:
      tags: [audit]
      summary: "Disclosures and releasing checks per partner per month (logged as audit-read)"
      description: "Reads the filters subject, partner, purpose, actor, municipality, since and until of `AuditFilters`; kind, limit, after and before do not apply to counts over a period and are 400 `unknown-field`."
      operationId: auditStats
      security: [{bearer: []}]
      x-roles: [dpo]
      parameters:
        - {$ref: "#/components/parameters/AuditFilters"}
      responses:
        "200":
          description: "Rows of partner, month, disclosures and referrals: `referrals` counts releasing checks (decisions that released at least one field), not referrals; the member keeps its name for existing callers."
          content:
            application/json:
              schema: {$ref: "#/components/schemas/AuditStats"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "503": {$ref: "#/components/responses/Unavailable"}
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
            application/json:
              schema: {$ref: "#/components/schemas/VerificationResult"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "503": {$ref: "#/components/responses/Unavailable"}
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
          description: "Accepted (`queued` until a lane for long work is free, then `running`); poll the `Location` (`/v1/exports/{id}`)."
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
        "415": {$ref: "#/components/responses/NotJSON"}
        "422": {$ref: "#/components/responses/ExportPathInvalid"}
        "503": {$ref: "#/components/responses/Unavailable"}
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
        "415": {$ref: "#/components/responses/NotJSON"}
        "422": {$ref: "#/components/responses/ExportPathInvalid"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/exports/{id}:
    get:
      tags: [exports]
      summary: "A run's status: queued (waiting for a lane for long work), running, succeeded (with the summary) or failed (with the reason)"
      operationId: exportStatus
      security: [{bearer: []}]
      x-roles: [exporter]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: "^[^\\u0000-\\u001F\\u007F-\\u009F]+$"}, description: "A control character is 400 invalid-field."}
      responses:
        "200":
          description: The run.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/ExportRun"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404":
          description: No such run (statuses are kept in the database, also across restarts).
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "409": {$ref: "#/components/responses/ExportNotConfigured"}
\#(Self.caseManagerPagePaths)
  /audit:
    get:
      tags: [pages]
      summary: "Audit log with filters and verification status (logged as audit-read)"
      operationId: auditPage
      security: [{session: []}]
      x-roles: [dpo]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "503": {$ref: "#/components/responses/PageUnavailable"}
  /audit/entries/{index}:
    get:
      tags: [pages]
      parameters:
        - {name: index, in: path, required: true, schema: {type: integer, minimum: 0, maximum: 9223372036854775807}}
      summary: "One entry; ?explain=1 re-evaluates a decision"
      operationId: auditEntryPage
      security: [{session: []}]
      x-roles: [dpo]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "400":
          description: "The index is not a whole number ≥ 0: `invalid-field` (an error page)."
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "404":
          description: No entry under that index (an error page).
        "503": {$ref: "#/components/responses/PageUnavailable"}
  /audit/report:
    get:
      tags: [pages]
      summary: "GDPR Art. 15 report for ?subject="
      operationId: auditReportPage
      security: [{session: []}]
      x-roles: [dpo]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "503": {$ref: "#/components/responses/PageUnavailable"}
  /audit/stats:
    get:
      tags: [pages]
      summary: "Disclosures and checks releasing data per partner per month"
      operationId: auditStatsPage
      security: [{session: []}]
      x-roles: [dpo]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}

        "503": {$ref: "#/components/responses/PageUnavailable"}
"""#
}
