extension OpenAPIDocument {
    /// Pages, service routes, accounts and decisions (the consent routes follow in `consentPaths`).
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
"""#
}
