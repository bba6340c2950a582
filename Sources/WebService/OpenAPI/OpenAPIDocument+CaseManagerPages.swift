extension OpenAPIDocument {
    /// The 400 to 403 and 415 answers of the two page forms (`/check`, `/consents`): refused entries come back at their
    /// fields; without a live session or with another session's CSRF token the login form carries them (docs/web-pages.md).
    static let pageFormRefusals = #"""
        "400":
          description: "A field left empty or wrong (case id, date, no field or clause chosen, ...): the form again with every entry, the error at its field and in a focused summary. A malformed form (`malformed-form`) or U+0000 in a field (`invalid-field`): an error page (JSON when the request accepts only `application/json`)."
          content:
            text/html: {}
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "401":
          description: "No live session: nothing is done; the login form (not the error page) carrying the entries when the POST came from this service's pages (docs/web-pages.md), to be shown again after the login."
          content:
            text/html: {}
        "403":
          description: "The CSRF token is not the session's: nothing is done; the login form carrying the entries as for 401. Another role: the error page; another municipality's person: the form again with the error at its field."
          content:
            text/html: {}
        "415": {$ref: "#/components/responses/NotForm"}
"""#

    /// The consent form's 413: a scan over the limit keeps the entries before it (`RouteRegistrar.readForm`).
    static let consentFormTooLarge = #"""
        "413":
          description: "The scan (the form's last control) takes the form's body over 12 MiB: the form again with every entry before it and the file named as too large at its field. A body over the limit elsewhere (in a text field): the error page, as `FormTooLarge`."
          content:
            text/html: {}
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
"""#

    /// The case manager's pages: the referral check, its sheet, recording, showing, withdrawing and printing consents.
    static let caseManagerPagePaths = #"""
  /check:
    get:
      tags: [pages]
      summary: "Referral check form"
      operationId: checkForm
      security: [{session: []}]
      x-roles: [caseworker]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
    post:
      tags: [pages]
      summary: "Run a referral check (fields subject, birth-date, unaccompanied-minor, stated, partner, purpose, fields, _csrf); logged, then 303 to the decision's page"
      operationId: checkRun
      security: [{session: []}]
      x-roles: [caseworker]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/CheckForm"}
      responses:
        "303":
          description: "Checked and logged; to the decision's page (`/check/{index}`), which shows the result, so a reload shows it again instead of checking (and logging) once more."
\#(Self.pageFormRefusals)
        "413": {$ref: "#/components/responses/FormTooLarge"}
        "422":
          description: "Unknown partner or purpose: the form again with every entry and the error at its field."
        "503": {$ref: "#/components/responses/PageUnavailable"}
  /check/{index}:
    get:
      tags: [pages]
      parameters:
        - {name: index, in: path, required: true, schema: {type: integer, minimum: 0, maximum: 9223372036854775807}}
      summary: "A referral check's result (green/red table, reasons, norms, the referral sheet's link) above the form filled in as sent"
      operationId: checkResult
      security: [{session: []}]
      x-roles: [caseworker]
      responses:
        "200":
          description: "The result, when this session made the check (its last ten are kept); otherwise, for a decision of the case worker's municipality, the empty form with a note and the referral sheet's link."
          content:
            text/html: {}
        "400":
          description: "The index is not a whole number ≥ 0: `invalid-field` (an error page)."
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "404":
          description: No decision of the case worker's municipality under that index (the same answer for another municipality's decision, any other entry, and no entry).
  /check/{index}/sheet.csv:
    get:
      tags: [pages]
      parameters:
        - {name: index, in: path, required: true, schema: {type: integer, minimum: 0, maximum: 9223372036854775807}}
      summary: "Referral sheet: the released fields of a logged decision (CSV for Excel)"
      operationId: checkSheet
      security: [{session: []}]
      x-roles: [caseworker]
      responses:
        "200":
          description: "The sheet: CSV (UTF-8 with BOM, `;`, CRLF) as an attachment `uebergabe-INDEX.csv`."
          content:
            text/csv: {}
        "400":
          description: "The index is not a whole number ≥ 0: `invalid-field` (an error page)."
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "404":
          description: No decision of the case worker's municipality under that index (the same answer for another municipality's decision, any other entry, and no entry).
  /consents/new:
    get:
      tags: [pages]
      summary: "Form to record a consent from the signed paper declaration"
      operationId: consentNewForm
      security: [{session: []}]
      x-roles: [caseworker]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
  /consents:
    get:
      tags: [pages]
      parameters:
        - {name: subject, in: query, required: false, schema: {type: string}, description: "The case id of the person; without it, the form alone."}
      summary: "A person's consents (state, template, lines, dates), each linked to its page, where it is printed and withdrawn"
      operationId: consentListPage
      security: [{session: []}]
      x-roles: [caseworker]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "400":
          description: "Not a case id: the form again with what was typed and the error at it."
        "401": {$ref: "#/components/responses/Page"}
        "403":
          description: "Not a case worker, or a person of another municipality (the form again, the same words as everywhere)."
        "503": {$ref: "#/components/responses/PageUnavailable"}
    post:
      tags: [pages]
      summary: "Record a consent (multipart: subject, birth-date, template, language, clauses, granted-on, guardians, scan, _csrf)"
      operationId: consentRecord
      security: [{session: []}]
      x-roles: [caseworker]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {$ref: "#/components/schemas/ConsentForm"}
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/ConsentForm"}
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: "Recorded; to the consent's page (`/consents/{id}`)."
\#(Self.pageFormRefusals)
\#(Self.consentFormTooLarge)
        "422":
          description: "Invalid consent (unknown template, language or clause, guardian missing, ...) or a declaration already expired on its signing date without `record-expired`: the form again with every entry (the scan as its checksum) and the error at its field."
        "503": {$ref: "#/components/responses/PageUnavailable"}
  /consents/{id}:
    get:
      tags: [pages]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}, description: "The consent id (a UUID); anything else is 400 invalid-field."}
      summary: "A consent and its state, the lines withdrawn singly, with the withdraw button and the form to withdraw chosen lines"
      operationId: consentPage
      security: [{session: []}]
      x-roles: [caseworker, dpo]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "400":
          description: "The id is not a consent id (a UUID): `invalid-field` (an error page)."
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "404":
          description: No such consent (an error page).
  /consents/{id}/withdraw:
    post:
      tags: [pages]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}, description: "The consent id (a UUID); anything else is 400 invalid-field."}
      summary: "Withdraw (form field _csrf)"
      operationId: consentWithdrawPage
      security: [{session: []}]
      x-roles: [caseworker]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/CSRFForm"}
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: "Withdrawn (or withdrawn already); back to the consent's page."
        "400": {$ref: "#/components/responses/FormRejected"}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "404":
          description: No such consent (an error page).
        "413": {$ref: "#/components/responses/FormTooLarge"}
        "415": {$ref: "#/components/responses/NotForm"}
        "503": {$ref: "#/components/responses/PageUnavailable"}
  /consents/{id}/withdraw-lines:
    post:
      tags: [pages]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}, description: "The consent id (a UUID); anything else is 400 invalid-field."}
      summary: "Withdraw the chosen lines (clauses) of a consent only (form fields _csrf and clause, one per line)"
      operationId: consentWithdrawLinesPage
      security: [{session: []}]
      x-roles: [caseworker]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              propertyNames: {pattern: "^[^\\u0000]+$", description: "a field name is not empty and holds no U+0000 (else 400)"}
              required: [_csrf]
              properties:
                _csrf: {type: string, pattern: "^[^\\u0000]*$"}
                clause: {type: array, items: {type: string}, description: "A line (clause id) to withdraw; repeated for several."}
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "303":
          description: "The lines withdrawn; back to the consent's page."
        "400": {$ref: "#/components/responses/FormRejected"}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "404":
          description: No such consent (an error page).
        "413": {$ref: "#/components/responses/FormTooLarge"}
        "415": {$ref: "#/components/responses/NotForm"}
        "422":
          description: "No line chosen, or a line not granted or withdrawn already (e.g. meanwhile): the consent's page again with the message at the choice; nothing withdrawn."
        "503": {$ref: "#/components/responses/PageUnavailable"}
  /consents/{id}/referral-notice:
    post:
      tags: [pages]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}, description: "The consent id (a UUID); anything else is 400 invalid-field."}
      summary: "Record that the case manager told a referral's recipient of the withdrawal (form fields _csrf, partner and told-on; GDPR Art. 19)"
      operationId: consentReferralNoticePage
      security: [{session: []}]
      x-roles: [caseworker]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              propertyNames: {pattern: "^[^\\u0000]+$", description: "a field name is not empty and holds no U+0000 (else 400)"}
              required: [_csrf, partner]
              properties:
                _csrf: {type: string, pattern: "^[^\\u0000]*$"}
                partner: {type: string, description: "A partner listed under \"To be told of the withdrawal\"."}
                told-on: {type: string, description: "The day (YYYY-MM-DD, Europe/Berlin) the partner was told; the field beside the button, today unless changed. Today or left out: the entry's own time. An earlier day is kept as told-at, the first moment of that day at which the withdrawal had taken effect (the Art. 15 report shows the day)."}
      responses:
        "303":
          description: "Recorded; back to the consent's page, which shows the partner as told."
        "400": {$ref: "#/components/responses/FormRejected"}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "404":
          description: No such consent (an error page).
        "413": {$ref: "#/components/responses/FormTooLarge"}
        "415": {$ref: "#/components/responses/NotForm"}
        "422":
          description: "The consent is not withdrawn, the partner received no data by referral under what was withdrawn, it is already recorded as told of all of it, or told-on is no date, in the future or before the day of the withdrawal: the consent's page again with the reason at the section; nothing logged."
        "503": {$ref: "#/components/responses/PageUnavailable"}
  /consents/{id}/declaration:
    get:
      tags: [pages]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}, description: "The consent id (a UUID); anything else is 400 invalid-field."}
      summary: "The declaration in the person's language, to print"
      operationId: consentDeclaration
      security: [{session: []}]
      x-roles: [caseworker, dpo]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "400":
          description: "The id is not a consent id (a UUID): `invalid-field` (an error page)."
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "404":
          description: No such consent (an error page).
  /declarations/{id}:
    get:
      tags: [pages]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}, description: "The consent template id."}
        - {name: language, in: query, required: false, schema: {type: string, default: de}, description: "The declaration's language: de, en, uk, or one the policy gives the form's wording in (form-languages, docs/policy.md)."}
      summary: "A template's blank declaration to print before the person signs (the page twin of /v1/consent-templates/{id}/form)"
      operationId: templateDeclarationPage
      security: [{session: []}]
      x-roles: [caseworker, dpo]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "404":
          description: No such template (an error page).
        "422":
          description: "The template has no text in that language: `invalid-input` (an error page)."
"""#
}
