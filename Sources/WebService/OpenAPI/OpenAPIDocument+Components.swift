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
        birth-date: {type: string, format: date, description: "not after today in Germany (Europe/Berlin) and not before 1900-01-01, else 400 invalid-field; a decision before the birth date (its day in Europe/Berlin) is 422 invalid-input"}
        municipality: {type: string}
        unaccompanied-minor: {type: boolean}
        guardians: {type: array, items: {type: string}}
    DecisionAttributes:
      type: object
      description: "The attributes of `Attributes` and, besides them, values of the policy's stateable attributes (declared with neither `subject:` nor `from:`; in the shipped policy `child-endangerment`, `guardian-of-school-age-child` and `household-school-age-child`, all boolean) by id, for this decision only: never stored with the person, logged with the decision (so that `audit explain` replays it). A value of the attribute's type (boolean, integer, string; a date as YYYY-MM-DD), else 400 `wrong-type` naming the field (`invalid-field` for a text that is no date); any other key is 400 `unknown-field` listing the keys allowed."
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
        at: {type: string, format: date-time, description: "The moment the fields are decided for (default now): rules, ages and validity windows are read then; a withdrawal in effect when the request is made counts whatever this says, since the data can go out only now."}
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
        template-version: {type: integer, minimum: 1, description: "the version printed on the signed paper (below 1: 400 invalid-field); default: the template's current one. An earlier version the policy keeps (earlier-versions) is accepted only when it has a recordable-until and granted-at falls on or before that day in Europe/Berlin (the consent is then recorded on that version: its clauses, languages, minimum age and max-validity); otherwise refused (422) with a message naming the version, the current version and, after the window, its last day"}
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
}
