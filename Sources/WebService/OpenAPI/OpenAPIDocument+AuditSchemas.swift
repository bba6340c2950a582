extension OpenAPIDocument {
    /// The schemas of the audit log's answers (an entry, the RFC 9162 proofs, the Art. 15 report, the statistics, the
    /// verification), between `components` and `componentsAfterAuditAnswers` in the document.
    static let auditAnswerSchemas = #"""
    AuditEntry:
      type: object
      additionalProperties: false
      required: [index, entry]
      properties:
        index: {type: integer, minimum: 0}
        entry: {type: object, description: "the entry as logged (RFC 8785 canonical JSON; its members in docs/audit-log.md)"}
    Base64Hash:
      type: string
      description: A SHA-256 hash, base64 (standard alphabet, padded).
      pattern: "^[A-Za-z0-9+/]{43}=$"
    InclusionProof:
      type: object
      description: "RFC 9162 inclusion proof of one entry (docs/audit-verify.md): `leaf-hash` is SHA-256(0x00 ‖ the entry's bytes), `hashes` the audit path from the leaf upwards, `root-hash` the root of the first `tree-size` entries."
      additionalProperties: false
      required: [type, proof-version, leaf-index, tree-size, leaf-hash, root-hash, hashes, entry]
      properties:
        type: {const: inclusion}
        proof-version: {const: 1}
        leaf-index: {type: integer, minimum: 0}
        tree-size: {type: integer, minimum: 1}
        leaf-hash: {$ref: "#/components/schemas/Base64Hash"}
        root-hash: {$ref: "#/components/schemas/Base64Hash"}
        hashes: {type: array, items: {$ref: "#/components/schemas/Base64Hash"}}
        entry: {type: string, contentEncoding: base64, description: "the entry's bytes as logged (RFC 8785 canonical JSON), base64"}
    ConsistencyProof:
      type: object
      description: "RFC 9162 consistency proof that the first `tree-size-1` entries are unchanged in the log of `tree-size-2` entries (docs/audit-verify.md)."
      additionalProperties: false
      required: [type, proof-version, tree-size-1, tree-size-2, root-hash-1, root-hash-2, hashes]
      properties:
        type: {const: consistency}
        proof-version: {const: 1}
        tree-size-1: {type: integer, minimum: 1}
        tree-size-2: {type: integer, minimum: 1}
        root-hash-1: {$ref: "#/components/schemas/Base64Hash"}
        root-hash-2: {$ref: "#/components/schemas/Base64Hash"}
        hashes: {type: array, items: {$ref: "#/components/schemas/Base64Hash"}}
    LocalizedName:
      type: object
      description: A name in German and English, from the policy.
      additionalProperties: false
      required: [de, en]
      properties:
        de: {type: string}
        en: {type: string}
    SubjectReport:
      type: object
      description: "The GDPR Art. 15 (1) c report for one person (report-version 1), as `consentgate audit report --json` prints it: the recipients of the person's data (never the data's values), the consents given and withdrawn, the erasure notices sent to recipients (Art. 19), and the signed checkpoint of the log read. Ids with the policy's names beside them; citations in the policy's canonical (German) text."
      additionalProperties: false
      required: [report-version, type, subject, generated-at, recipients, consents, erasure-notices]
      properties:
        report-version: {const: 1}
        type: {const: gdpr-art-15-1-c}
        subject: {type: string}
        generated-at: {type: string, format: date-time}
        checkpoint: {type: string, description: "The log's latest signed checkpoint (a C2SP signed note); absent while the log has none."}
        recipients:
          type: array
          items:
            type: object
            additionalProperties: false
            required: [entry, time, partner, purpose, channel, fields]
            properties:
              entry: {type: integer, minimum: 0, description: the audit entry}
              time: {type: string, format: date-time}
              partner: {type: string}
              purpose: {type: string}
              channel: {enum: [export, referral, decision], description: "a data export, a referral, or a release decision"}
              reference: {type: string, description: the export run or referral id}
              as-of: {type: string, format: date-time, description: "For a decision made for another moment than when it was logged (its `at` more than a minute off): that moment. The row is logged, and its data could go out, at `time`: withdrawals in effect by then counted (since 2026-12-07)."}
              partner-name: {$ref: "#/components/schemas/LocalizedName"}
              purpose-name: {$ref: "#/components/schemas/LocalizedName"}
              field-names: {type: object, additionalProperties: {$ref: "#/components/schemas/LocalizedName"}, description: "field id to name, as the policy the row was decided under named it (else the policy in force)"}
              policy:
                type: object
                additionalProperties: false
                required: [digest]
                description: The policy the row was decided or disclosed under (its version when the log or the policy archive knows it).
                properties:
                  digest: {type: string}
                  version: {type: string}
              after-withdrawal:
                type: array
                description: "Withdrawals that had taken effect by the time the row was logged (`time`, when its data could go out; not `as-of`) on a consent some of its fields went on, recorded before or after it: those fields went out without a legal basis. Per consent the earliest is named."
                items:
                  type: object
                  additionalProperties: false
                  required: [entry, consent, withdrawn-at, recorded-at, fields]
                  properties:
                    entry: {type: integer, minimum: 0, description: the withdrawal's audit entry}
                    consent: {type: string}
                    clauses: {type: array, items: {type: string}, description: "the lines withdrawn; absent for the whole consent"}
                    withdrawn-at: {type: string, format: date-time}
                    recorded-at: {type: string, format: date-time}
                    fields: {type: array, items: {type: string}}
              fields:
                type: array
                items:
                  type: object
                  additionalProperties: false
                  required: [field, basis]
                  properties:
                    field: {type: string}
                    basis: {enum: [statute, consent]}
                    rule: {type: string}
                    citation: {type: string}
                    consent:
                      type: object
                      additionalProperties: false
                      required: [id, clause]
                      properties:
                        id: {type: string}
                        clause: {type: string}
        consents:
          type: array
          items:
            type: object
            additionalProperties: false
            required: [entry, time, event, consent]
            properties:
              entry: {type: integer, minimum: 0}
              time: {type: string, format: date-time}
              event: {enum: [granted, withdrawn]}
              consent: {type: string}
              clauses: {type: array, items: {type: string}, description: "granted: the consent's lines; withdrawn: the lines withdrawn, absent when the whole consent was"}
              clause-names: {type: object, additionalProperties: {$ref: "#/components/schemas/LocalizedName"}, description: "clause id to the line's wording in the template version the consent was signed on, where known"}
              granted-at: {type: string, format: date-time}
              expires-at: {type: string, format: date-time}
              withdrawn-at: {type: string, format: date-time}
        erasure-notices:
          type: array
          items:
            type: object
            additionalProperties: false
            required: [entry, time, reason, notify]
            properties:
              entry: {type: integer, minimum: 0}
              time: {type: string, format: date-time}
              reason: {type: string}
              notify: {type: array, items: {type: string}, description: the partners told to erase}
              clauses: {type: array, items: {type: string}, description: "the withdrawn lines the notice is about; absent for the whole consent"}
              clause-names: {type: object, additionalProperties: {$ref: "#/components/schemas/LocalizedName"}, description: "clause id to the line's wording, where known"}
    AuditStats:
      type: array
      description: "One row per partner and month (months in Europe/Berlin) with at least one disclosure or releasing check, sorted by partner, then month."
      items:
        type: object
        additionalProperties: false
        required: [partner, month, disclosures, referrals]
        properties:
          partner: {type: [string, "null"]}
          month: {type: [string, "null"], pattern: "^[0-9]{4}-[0-9]{2}$"}
          disclosures: {type: integer, minimum: 0, description: logged disclosures (export rows and referrals passed on)}
          referrals: {type: integer, minimum: 0, description: "releasing checks: decisions that released at least one field"}
    VerificationResult:
      type: object
      description: "`audit verify` run now: `ok` when the whole tree recomputes and every checkpoint's signature and root hold; `problem` the first finding in words (the request's language), else null."
      additionalProperties: false
      required: [ok, size, checkpoints, problem]
      properties:
        ok: {type: boolean}
        size: {type: integer, minimum: 0, description: entries checked}
        checkpoints: {type: integer, minimum: 0, description: checkpoints checked}
        problem: {type: [string, "null"]}
"""#
}
