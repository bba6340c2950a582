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
  responses:
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
      summary: Liveness (plain `ok`)
      operationId: health
      responses:
        "200":
          description: The service runs.
          content:
            text/plain: {}
  /metrics:
    get:
      tags: [service]
      summary: Prometheus metrics (request counts by route and status, latency histogram, decision counts)
      operationId: metrics
      responses:
        "200":
          description: Text exposition format 0.0.4.
          content:
            text/plain: {}
  /openapi.yaml:
    get:
      tags: [service]
      summary: This document
      operationId: openapi
      responses:
        "200":
          description: OpenAPI 3.1 YAML.
          content:
            application/yaml: {}
  /assets/style.css:
    get:
      tags: [pages]
      summary: The pages' stylesheet (screen and print)
      operationId: stylesheet
      responses:
        "200":
          description: CSS.
          content:
            text/css: {}
  /v1/me:
    get:
      tags: [accounts]
      summary: The account the token belongs to
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
      summary: List accounts
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
      summary: Create an account (API token only; the page password is set with `consentgate users`)
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
      summary: Start page of the signed-in role (redirects to /login otherwise)
      operationId: startPage
      security: [{session: []}]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: Not signed in; to /login.
  /login:
    get:
      tags: [pages]
      summary: Login form
      operationId: loginForm
      responses:
        "200": {$ref: "#/components/responses/Page"}
    post:
      tags: [pages]
      summary: Log in (form fields name, password, _csrf)
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
      summary: Log out (form field _csrf)
      operationId: logout
      security: [{session: []}]
      x-roles: [caseworker, dpo, exporter, admin]
      responses:
        "303":
          description: Session ended; to /login.
        "401": {$ref: "#/components/responses/Page"}
        "403":
          description: CSRF token missing or wrong.

"""#
}
