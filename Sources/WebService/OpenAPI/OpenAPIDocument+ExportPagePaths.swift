extension OpenAPIDocument {
    /// The exporter's pages (`/exports`, docs/web-exports.md "Exporter pages"): the form, the preview, starting a run, a run's
    /// status. Kept apart from the JSON export routes only to keep each file readable.
    static let exportPagePaths = #"""
  /exports:
    get:
      tags: [pages]
      summary: "Export form (list, drive folder, full re-export, mapping file) and the recent runs; without export folders, how to set them"
      operationId: exportForm
      security: [{session: []}]
      x-roles: [exporter]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "503": {$ref: "#/components/responses/PageUnavailable"}
    post:
      tags: [pages]
      summary: "Start an export run (fields input, drive, full, mapping, _csrf) in the background, as POST /v1/exports"
      operationId: exportStart
      security: [{session: []}]
      x-roles: [exporter]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              description: "The export form. Paths relative to the folders the server was started with, as in POST /v1/exports; an empty drive is the drive folder itself."
              required: [_csrf, input]
              properties:
                _csrf: {type: string, pattern: "^[^\\u0000]*$"}
                input: {type: string, pattern: "^[^\\u0000]*$", description: the list, relative to the input folder}
                drive: {type: string, pattern: "^[^\\u0000]*$", description: "the drive folder, relative to the drive folder (default `.`)"}
                full: {type: string, enum: ["on"], description: re-export every record}
                mapping: {type: string, pattern: "^[^\\u0000]*$", description: "a header mapping file, relative to the input folder (empty: none)"}
      responses:
        "303":
          description: "Started; to the run's status page (`/exports/{id}`)."
        "400":
          description: "No list chosen: the form again with every entry, the error at its field and in a focused summary. A malformed form or U+0000 in a field: an error page."
          content:
            text/html: {}
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "401": {$ref: "#/components/responses/Page"}
        "403":
          description: "The CSRF token is missing or not the session's, or another role: an error page; nothing is started."
          content:
            text/html: {}
        "409":
          description: "The server was started without export folders: an error page naming the options of `serve` that set them."
          content:
            text/html: {}
        "413": {$ref: "#/components/responses/FormTooLarge"}
        "415": {$ref: "#/components/responses/NotForm"}
        "422":
          description: "A path outside its folder or a missing file or folder: the form again with every entry and the error at its field; nothing is started."
        "503": {$ref: "#/components/responses/PageUnavailable"}
  /exports/dry-run:
    post:
      tags: [pages]
      summary: "Preview a run (fields as POST /exports): per-partner counts and columns, nothing written, and a button to start that run"
      operationId: exportPreview
      security: [{session: []}]
      x-roles: [exporter]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              description: "The export form. Paths relative to the folders the server was started with, as in POST /v1/exports; an empty drive is the drive folder itself."
              required: [_csrf, input]
              properties:
                _csrf: {type: string, pattern: "^[^\\u0000]*$"}
                input: {type: string, pattern: "^[^\\u0000]*$", description: the list, relative to the input folder}
                drive: {type: string, pattern: "^[^\\u0000]*$", description: "the drive folder, relative to the drive folder (default `.`)"}
                full: {type: string, enum: ["on"], description: re-export every record}
                mapping: {type: string, pattern: "^[^\\u0000]*$", description: "a header mapping file, relative to the input folder (empty: none)"}
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "400":
          description: "No list chosen: the form again with every entry, the error at its field and in a focused summary. A malformed form or U+0000 in a field: an error page."
          content:
            text/html: {}
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        "401": {$ref: "#/components/responses/Page"}
        "403":
          description: "The CSRF token is missing or not the session's, or another role: an error page."
          content:
            text/html: {}
        "409":
          description: "The server was started without export folders: an error page naming the options of `serve` that set them."
          content:
            text/html: {}
        "413": {$ref: "#/components/responses/FormTooLarge"}
        "415": {$ref: "#/components/responses/NotForm"}
        "422":
          description: "A path outside its folder, a missing file or folder, or a list the job refuses (its columns, its encoding): the form again with every entry and the error at its field or above the buttons."
        "503": {$ref: "#/components/responses/PageUnavailable"}
  /exports/{id}:
    get:
      tags: [pages]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: "^[^\\u0000-\\u001F\\u007F-\\u009F]+$"}}
      summary: "A run's status: state, per-partner counts, the quarantine report's place, the error in words; reloads itself while running (`?refresh=off`: not)"
      operationId: exportStatusPage
      security: [{session: []}]
      x-roles: [exporter]
      responses:
        "200": {$ref: "#/components/responses/Page"}
        "400":
          description: "The id does not percent-decode to text without control characters: `invalid-field` (an error page)."
        "401": {$ref: "#/components/responses/Page"}
        "403": {$ref: "#/components/responses/Page"}
        "404":
          description: No such run (an error page).
        "409":
          description: "The server was started without export folders (an error page)."
        "503": {$ref: "#/components/responses/PageUnavailable"}
"""#
}
