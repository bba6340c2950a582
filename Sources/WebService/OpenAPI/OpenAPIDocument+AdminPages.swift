extension OpenAPIDocument {
    /// The administrator's pages (`AdminPages`): accounts and keys.
    static let adminPagePaths = #"""
  /accounts:
    get:
      tags: [pages]
      summary: "Accounts: table with a new-token and a disable button per active account, and the form to add one (?disabled=NAME after a disabling)"
      operationId: accountsPage
      security: [{session: []}]
      x-roles: [admin]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "503": {$ref: "#/components/responses/PageUnavailable"}
    post:
      tags: [pages]
      summary: "Add an account (fields name, role, municipality, _csrf; no password: consentgate users password); its API token shown once in the answer, logged as account-event"
      operationId: accountAdd
      security: [{session: []}]
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [_csrf]
              properties:
                name: {type: string, description: "1-64 letters, digits, ., -, _"}
                role: {type: string, enum: [caseworker, dpo, exporter, admin]}
                municipality: {type: string, description: "One of the policy's municipalities; required for caseworker, empty for every other role."}
                _csrf: {type: string}
      responses:
        "200":
          description: "Added: the accounts page with the new account's API token, shown this once only (never in a URL, a log line or a later page)."
          content:
            text/html: {}
        "400":
          description: "A field left empty or wrong: the form again with every entry and the error at its field. A malformed form: an error page."
          content:
            text/html: {}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "409":
          description: "An account of that name exists already: the form again with the error at the name; nothing added."
          content:
            text/html: {}
        "413": {$ref: "#/components/responses/FormTooLarge"}
        "415": {$ref: "#/components/responses/NotForm"}
        "422":
          description: "Refused by the account store (invalid name, a case worker without municipality, another role with one, an unknown municipality): the form again with the error at its field; nothing added."
          content:
            text/html: {}
        "503": {$ref: "#/components/responses/PageUnavailable"}
  /accounts/token:
    post:
      tags: [pages]
      summary: "A new API token for account `name` (fields name, _csrf): shown once in the answer; the old token and the account's page sessions stop working; logged as account-event"
      operationId: accountTokenPage
      security: [{session: []}]
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [name, _csrf]
              properties:
                name: {type: string}
                _csrf: {type: string}
      responses:
        "200":
          description: "The accounts page with the new token, shown this once only."
          content:
            text/html: {}
        "400": {$ref: "#/components/responses/FormRejected"}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "404":
          description: "No such account: the accounts page saying so."
          content:
            text/html: {}
        "409":
          description: "The account is disabled: the accounts page saying so; nothing changed."
          content:
            text/html: {}
        "413": {$ref: "#/components/responses/FormTooLarge"}
        "415": {$ref: "#/components/responses/NotForm"}
        "503": {$ref: "#/components/responses/PageUnavailable"}
  /accounts/disable:
    post:
      tags: [pages]
      summary: "Disable account `name` (fields name, confirm, _csrf): without confirm=yes a confirmation page; with it the account's token, password and sessions stop working; logged as account-event"
      operationId: accountDisablePage
      security: [{session: []}]
      x-roles: [admin]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [name, _csrf]
              properties:
                name: {type: string}
                confirm: {type: string, enum: ["yes"]}
                _csrf: {type: string}
      responses:
        "200":
          description: "Without confirm=yes: the confirmation page (nothing changed yet)."
          content:
            text/html: {}
        "303":
          description: "Disabled; to `/accounts?disabled=NAME`."
        "400": {$ref: "#/components/responses/FormRejected"}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "404":
          description: "No such account: the accounts page saying so."
          content:
            text/html: {}
        "409":
          description: "The last active administrator, or an account disabled already: the accounts page saying so in words; nothing changed."
          content:
            text/html: {}
        "413": {$ref: "#/components/responses/FormTooLarge"}
        "415": {$ref: "#/components/responses/NotForm"}
        "503": {$ref: "#/components/responses/PageUnavailable"}
  /keys:
    get:
      tags: [pages]
      summary: "The trust store's keys, read-only (kid, roles, validity, revocation, demo, state); managed with consentgate keys, a change counts after a restart"
      operationId: keysPage
      security: [{session: []}]
      x-roles: [admin]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
"""#
}
