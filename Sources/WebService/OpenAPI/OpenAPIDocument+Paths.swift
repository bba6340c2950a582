extension OpenAPIDocument {
    /// Pages, service routes, accounts, decisions and consents.
    static let paths = #"""
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
        "400": {$ref: "#/components/responses/BadRequest"}
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
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
    post:
      tags: [accounts]
      summary: "Create an account (API token only; the page password is set with `consentgate users password`)"
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
              schema: {$ref: "#/components/schemas/AccountToken"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "409":
          description: Name taken.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "415": {$ref: "#/components/responses/NotJSON"}
        "422":
          description: Invalid name or role/municipality combination.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/accounts/{name}/token:
    post:
      tags: [accounts]
      summary: "Issue a new API token for an account; the old one stops working at once (logged as an account-event)"
      operationId: renewAccountToken
      security: [{bearer: []}]
      x-roles: [admin]
      parameters:
        - {name: name, in: path, required: true, schema: {type: string, pattern: "^[A-Za-z0-9._-]{1,64}$"}, description: "The account name; anything else is 400 invalid-field."}
      requestBody:
        required: false
        description: "None, or the empty JSON object: the change takes no fields. A field is 400 `unknown-field`, a body that is not JSON 415."
        content:
          application/json:
            schema: {type: object, additionalProperties: false, maxProperties: 0}
      responses:
        "200":
          description: The new token, shown only in this response.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/AccountToken"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404":
          description: No such account.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "409":
          description: The account is disabled.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "415": {$ref: "#/components/responses/NotJSON"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/accounts/{name}/disable:
    post:
      tags: [accounts]
      summary: "Disable an account: its token, password and page sessions stop working (logged as an account-event)"
      operationId: disableAccount
      security: [{bearer: []}]
      x-roles: [admin]
      parameters:
        - {name: name, in: path, required: true, schema: {type: string, pattern: "^[A-Za-z0-9._-]{1,64}$"}, description: "The account name; anything else is 400 invalid-field."}
      requestBody:
        required: false
        description: "None, or the empty JSON object: the change takes no fields. A field is 400 `unknown-field`, a body that is not JSON 415."
        content:
          application/json:
            schema: {type: object, additionalProperties: false, maxProperties: 0}
      responses:
        "200":
          description: Disabled; the account as stored now.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Account"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404":
          description: No such account.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "409":
          description: Disabled already, or the last active administrator (another active admin must remain).
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "413": {$ref: "#/components/responses/TooLarge"}
        "415": {$ref: "#/components/responses/NotJSON"}
        "503": {$ref: "#/components/responses/Unavailable"}
  /v1/keys:
    get:
      tags: [keys]
      summary: "List the keys the service trusts, with their validity now (read-only; keys are generated and rotated with `consentgate keys`)"
      operationId: listKeys
      security: [{bearer: []}]
      x-roles: [admin]
      responses:
        "200":
          description: The trust store's keys, in its order.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/KeyList"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
  /v1/keys/{kid}:
    get:
      tags: [keys]
      summary: "One trusted key with its public key (JWK and PEM)"
      operationId: showKey
      security: [{bearer: []}]
      x-roles: [admin]
      parameters:
        - {name: kid, in: path, required: true, schema: {type: string, pattern: "^[A-Za-z0-9_-]{43}$"}, description: "The key id; anything else is 400 invalid-field."}
      responses:
        "200":
          description: The key.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/KeyDetail"}
        "400": {$ref: "#/components/responses/BadRequest"}
        "401": {$ref: "#/components/responses/Unauthorized"}
        "403": {$ref: "#/components/responses/Forbidden"}
        "404":
          description: No key with this kid in the trust store.
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
        "403":
          description: Requested as a resource (image, script, fetch) by another site's page (Fetch metadata; docs/web-accounts.md, CSRF).
  /login:
    get:
      tags: [pages]
      summary: "Login form"
      operationId: loginForm
      parameters:
        - name: next
          in: query
          required: false
          description: "The page to go to after the login: a path of this service with its query, as a page without a session links to it (`/login?next=%2Faudit%3Fsubject%3D…`). Another site, the login itself or the JSON API is ignored (then /)."
          schema: {type: string}
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "403":
          description: Requested as a resource (image, script, fetch) by another site's page (Fetch metadata; docs/web-accounts.md, CSRF).
    post:
      tags: [pages]
      summary: "Log in (form fields name, password, _csrf; kept-form and kept.<field> carry a form's entries sent after its session ended)"
      operationId: login
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              propertyNames: {pattern: "^[^\\u0000]+$", description: "a field name is not empty and holds no U+0000 (else 400)"}
              required: [name, password, _csrf]
              properties:
                name: {type: string, pattern: "^[^\\u0000]*$"}
                password: {type: string, pattern: "^[^\\u0000]*$"}
                _csrf: {type: string, pattern: "^[^\\u0000]*$"}
                kept-form: {type: string, enum: [check, consent], description: "the form whose kept entries the kept.<field> fields carry (docs/web-pages.md)"}
                next: {type: string, description: "the page to go to after the login (the login form's `next`, from its query): a path of this service; anything else leads to /"}
      responses:
        "303":
          description: Logged in; new session cookie (HttpOnly, SameSite=Strict, Secure over TLS); to the page `next` names, else to /; with kept entries to the form's page (/check, /consents/new), which shows them once.
        "400": {$ref: "#/components/responses/FormRejected"}
        "401": {$ref: "#/components/responses/Page"}
        "403":
          description: CSRF token missing or wrong.
        "413": {$ref: "#/components/responses/FormTooLarge"}
        "415": {$ref: "#/components/responses/NotForm"}
        "429":
          description: "`too-many-attempts`: 5 password checks for this account name within 5 minutes did not end in a login; try again later."
  /logout:
    post:
      tags: [pages]
      summary: "Log out (form field _csrf)"
      operationId: logout
      security: [{session: []}]
      x-roles: [caseworker, dpo, exporter, admin]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/CSRFForm"}
      responses:
        "303":
          description: Session ended; to /login.
        "400": {$ref: "#/components/responses/FormRejected"}
        "401": {$ref: "#/components/responses/Page"}
        "403":
          description: CSRF token missing or wrong.
        "413": {$ref: "#/components/responses/FormTooLarge"}
        "415": {$ref: "#/components/responses/NotForm"}
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
        "415": {$ref: "#/components/responses/NotJSON"}
        "422":
          description: "Unknown partner (`unknown-partner`) or purpose (`unknown-purpose`); a stated value the gate refuses (`invalid-input`)."
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "503": {$ref: "#/components/responses/Unavailable"}
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
