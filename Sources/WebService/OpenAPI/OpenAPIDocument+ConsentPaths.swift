extension OpenAPIDocument {
    /// The consent routes of the JSON API: grant, show, withdraw (whole or lines), referral notices, a person's
    /// consents, a template's printable form.
    static let consentPaths = #"""
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
                  birth-date-changed:
                    description: >-
                      Present when attributes.birth-date replaced the birth date recorded for the person (the consent's
                      consent-granted entry notes it too): the person's ages when they signed, by the old and the new date.
                    type: object
                    properties: {age-before: {type: integer}, age-after: {type: integer}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "415": {$ref: "#/components/responses/NotJSON"}
        "422":
          description: Invalid consent (unknown template or clause, guardian missing, ...).
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/consents/{id}:
    get:
      tags: [consents]
      summary: "Show a consent and its state now"
      operationId: showConsent
      security: [{bearer: []}]
      x-roles: [caseworker, dpo]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}, description: "The consent id (a UUID); anything else is 400 invalid-field."}
      responses:
        "200":
          description: The consent.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Consent"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404":
          description: No such consent.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/consents/{id}/withdraw:
    post:
      tags: [consents]
      summary: "Withdraw a consent, or single lines (clauses) of it, now (signed withdrawal, logged; the whole consent idempotently)"
      operationId: withdrawConsent
      security: [{bearer: []}]
      x-roles: [caseworker]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}, description: "The consent id (a UUID); anything else is 400 invalid-field."}
      requestBody:
        required: false
        description: "None, or the empty JSON object: the whole consent is withdrawn, now. `clauses`: only those lines (clause ids the consent grants and that are not withdrawn yet), now; the others hold. Another field (e.g. a `withdrawn-at`) is 400 `unknown-field`, a body that is not JSON 415."
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties:
                clauses: {type: array, items: {type: string}, description: "The lines (clause ids) to withdraw; absent: the whole consent. Empty, a clause the consent does not grant, one already withdrawn, or any after the whole consent was withdrawn: 422, nothing stored or logged."}
      responses:
        "200":
          description: Withdrawn (or, for the whole consent, already withdrawn; then audit is null).
          content:
            application/json:
              schema:
                type: object
                properties:
                  consent: {$ref: "#/components/schemas/Consent"}
                  audit: {type: [object, "null"]}
                  referral-recipients:
                    type: array
                    description: "The partners that received data on the consent (or on the withdrawn lines) through referrals, at any time: whoever made the referrals tells them (GDPR Art. 19); the next export run tells export recipients itself. Empty when the withdrawal was already recorded."
                    items:
                      type: object
                      additionalProperties: false
                      required: [partner, fields, entries, referrals, clauses, notified, outstanding]
                      properties:
                        partner: {type: string}
                        fields: {type: array, items: {type: string}}
                        entries: {type: array, items: {type: integer, minimum: 0}, description: the audit entries of those releases}
                        referrals: {type: array, items: {type: string}}
                        clauses: {type: array, items: {type: string}, description: the consent's lines it received data under}
                        notified: {type: array, items: {type: integer, minimum: 0}, description: "the erasure-notice entries recording that the case manager told the partner (POST /v1/consents/{id}/referral-notices); empty while nobody has"}
                        outstanding: {type: array, items: {type: string}, description: "the lines no recorded notice covers yet (a notice of lines does not cover lines withdrawn later); empty once told of everything"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404":
          description: No such consent.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "422":
          description: "The withdrawal of lines is refused: no line named, a line the consent does not grant, one already withdrawn, or the whole consent withdrawn already (the message names the line)."
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "415": {$ref: "#/components/responses/NotJSON"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/consents/{id}/referral-notices:
    post:
      tags: [consents]
      summary: "Record that the case manager told a partner that received data on the consent by referral of its withdrawal (GDPR Art. 19; an erasure-notice entry with channel referral)"
      operationId: recordReferralNotice
      security: [{bearer: []}]
      x-roles: [caseworker]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}, description: "The consent id (a UUID); anything else is 400 invalid-field."}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [partner]
              properties:
                partner: {type: string, description: "A partner listed in the withdrawal's referral-recipients."}
                told-at: {type: string, format: date-time, description: "When the partner was told, when earlier than now (RFC 3339; the Art. 15 report shows it). Not a time: 400 invalid-field; in the future or before the withdrawal took effect: 422."}
      responses:
        "201":
          description: Recorded.
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                required: [consent, partner, audit]
                properties:
                  consent: {type: string}
                  partner: {type: string}
                  audit: {type: object, required: [index], properties: {index: {type: integer, minimum: 0}}}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404":
          description: No such consent.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "415": {$ref: "#/components/responses/NotJSON"}
        "422":
          description: "The consent is not withdrawn (neither whole nor in lines), the partner received no data by referral under what was withdrawn (the message names those that did), or it is already recorded as told of all of it; nothing logged."
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/subjects/{id}/consents:
    get:
      tags: [consents]
      summary: "List a person's consents"
      operationId: listConsents
      security: [{bearer: []}]
      x-roles: [caseworker, dpo]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: "^[^\\u0000-\\u001F\\u007F-\\u009F]+$"}, description: "The case id, percent-encoded (`RSK%2F2022%2F1` for RSK/2022/1); anything that is no case id (1-64 letters, digits, - _ . /, starting with a letter or digit) is 400 invalid-field."}
      responses:
        "200":
          description: The consents.
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/Consent"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/consent-templates/{id}/form:
    get:
      tags: [consents]
      summary: "Printable declaration of a template in a language (HTML)"
      operationId: consentForm
      security: [{bearer: []}]
      x-roles: [caseworker, dpo, exporter, admin]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: "^[^\\u0000-\\u001F\\u007F-\\u009F]+$"}, description: "A control character is 400 invalid-field."}
        - {name: language, in: query, required: false, schema: {type: string, default: de, pattern: "^[^\\u0000]*$"}, description: "U+0000 is 400 invalid-field."}
      responses:
        "200":
          description: The declaration.
          content:
            text/html: {}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "404":
          description: No such template.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "422":
          description: "`invalid-input`: the template has no text in that language, or the form no wording in it (built in: de, en, uk; more from the policy's `form-languages`)."
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
"""#
}
