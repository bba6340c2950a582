import Diagnostics
import DriveExport
import Foundation
import Gate
import Hummingbird

/// The shared-drive export over JSON (docs/export-job.md), for exporter accounts: start a run in the
/// background (`POST /v1/exports`, 202 with a handle), preview it (`POST /v1/exports/dry-run`, the
/// per-partner counts and columns, nothing written), and ask how a run is doing (`GET /v1/exports/{id}`).
/// Paths are relative to the folders the server was configured with; the service refuses anything else.
enum ExportRoutes {
    static let roles: Set<AccountRole> = [.exporter]

    /// The request body of both POST routes.
    struct RequestJSON: StrictDecodable {
        /// The registration list, relative to the export input folder.
        var input: String
        /// The drive folder, relative to the export drive folder (`.` for the folder itself).
        var drive: String
        /// Re-export every record, ignoring the ledger's fingerprints.
        var full: Bool?
        /// A header mapping file, relative to the export input folder.
        var mapping: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case input, drive, full, mapping }
        /// A request from its fields (the exporter pages build one from their form).
        init(input: String, drive: String, full: Bool? = nil, mapping: String? = nil) {
            self.input = input; self.drive = drive; self.full = full; self.mapping = mapping
        }
        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            input = try c.decode(String.self, forKey: .input)
            drive = try c.decode(String.self, forKey: .drive)
            full = try c.decodeIfPresentRefusingNull(Bool.self, forKey: .full)
            mapping = try c.decodeIfPresentRefusingNull(String.self, forKey: .mapping)
        }
    }

    /// A path of an export request refused (outside its folder, or no such file or folder), with the request field it
    /// is about: the API answers `error` itself, the exporter pages show it at the form control named `field`.
    struct PathRefusal: Error {
        /// `input`, `drive` or `mapping`.
        let field: String
        /// The answer (422, naming the field).
        let error: WebError
    }

    /// The job's options for `body`, with every path checked against the configured folders.
    static func makeOptions(_ body: RequestJSON, dryRun: Bool, actor: String, configuration: WebServiceConfiguration) throws -> ExportOptions {
        do { return try checkedOptions(body, dryRun: dryRun, actor: actor, configuration: configuration) } catch let refusal as PathRefusal {
            throw refusal.error
        }
    }

    /// `makeOptions`, but a refused path is thrown as `PathRefusal` (naming its field); `ExportPaths.notConfigured`
    /// without the export folders.
    static func checkedOptions(_ body: RequestJSON, dryRun: Bool, actor: String, configuration: WebServiceConfiguration) throws -> ExportOptions {
        guard let inputBase = configuration.exportInputDirectory, let driveBase = configuration.exportDriveDirectory else {
            throw ExportPaths.notConfigured
        }
        func checked<T>(_ field: String, _ body: () throws -> T) throws -> T {
            do { return try body() } catch let e as WebError { throw PathRefusal(field: field, error: e) }
        }
        let input = try checked("input") { try ExportPaths.resolve(body.input, field: "input", base: inputBase) }
        let drive = try checked("drive") { try ExportPaths.resolve(body.drive, field: "drive", base: driveBase, allowBase: true) }
        let mapping = try checked("mapping") { try body.mapping.map { try ExportPaths.resolve($0, field: "mapping", base: inputBase) } }
        try requireFile(input, named: body.input, field: "input")
        if let mapping { try requireFile(mapping, named: body.mapping ?? "", field: "mapping") }
        var isDir: ObjCBool = false
        // Also for a dry run: the job reports a missing drive either way, and here it is the request's field.
        guard FileManager.default.fileExists(atPath: drive, isDirectory: &isDir), isDir.boolValue else {
            throw PathRefusal(field: "drive", error: WebError(.unprocessableContent, code: "invalid-path",
                de: "Feld \"drive\": Ordner \"\(body.drive)\" gibt es nicht", en: "field \"drive\": folder \"\(body.drive)\" does not exist"))
        }
        // The quarantine report stays next to the input (never on the partner drive).
        var options = ExportOptions(input: input, drive: drive, mappingFile: mapping, full: body.full ?? false, dryRun: dryRun,
                                    quarantineDirectory: nil, lockTimeout: 0, actor: actor)
        options.quarantineRetentionDays = configuration.quarantineRetentionDays
        return options
    }

    /// 422 `invalid-path` for field `field` unless `path` is a file (a folder is named as such: before, it "did not exist",
    /// found by probing the service).
    static func requireFile(_ path: String, named value: String, field: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw PathRefusal(field: field, error: WebError(.unprocessableContent, code: "invalid-path",
                de: "Feld \"\(field)\": Datei \"\(value)\" gibt es nicht", en: "field \"\(field)\": file \"\(value)\" does not exist"))
        }
        guard !isDir.boolValue else {
            throw PathRefusal(field: field, error: WebError(.unprocessableContent, code: "invalid-path",
                de: "Feld \"\(field)\": \"\(value)\" ist ein Ordner, keine Datei", en: "field \"\(field)\": \"\(value)\" is a folder, not a file"))
        }
    }

    /// 409 `export-not-configured` unless the service has both export folders.
    static func requireConfigured(_ configuration: WebServiceConfiguration) throws {
        guard configuration.exportInputDirectory != nil, configuration.exportDriveDirectory != nil else { throw ExportPaths.notConfigured }
    }

    /// Registers a run of `options` for `actor` (recorded in the store first, `queued`) and starts the job in the
    /// background, on a lane for long work once one is free (then `running`); the registry records how it ended. 503
    /// `busy` when the queue for long work is full: then nothing is registered. Shared by `POST /v1/exports` and the
    /// page `POST /exports`.
    static func start(_ options: ExportOptions, actor: String, environment env: WebEnvironment) async throws -> ExportRunRegistry.Run {
        let registry = env.exportRuns
        let admission = try env.longWork.admit()
        let run: ExportRunRegistry.Run
        do { run = try await registry.start(actor: actor) } catch {
            env.longWork.withdraw(admission)
            throw error
        }
        let job = ExportJob(gate: env.gate)
        Task.detached {
            let result = await runJob(job, options, on: env.longWork, configuration: env.configuration, admission: admission) {
                await registry.began(run.id)
            }
            await registry.finish(run.id, result: result)
        }
        return run
    }

    /// Runs the dry run of `options` before returning; a job error as `webError` gives it. Shared by
    /// `POST /v1/exports/dry-run` and the page `POST /exports/dry-run`.
    static func dryRun(_ options: ExportOptions, environment env: WebEnvironment) async throws -> ExportSummary {
        switch await runJob(ExportJob(gate: env.gate), options, on: env.longWork, configuration: env.configuration) {
        case let .success(summary): return summary
        case let .failure(error): throw webError(error)
        }
    }

    /// Runs the (blocking) job on a lane of `longWork`: not on a thread of the concurrency pool, and not among the short
    /// reads of `BlockingWork`, which a run of minutes would hold up. In the place `admission` took (else one is taken
    /// here: 503 `busy` as the result when the queue is full); `onStart` once the lane is there. A job error comes back
    /// in the words the web gives it (`ExportErrorText`: paths relative to the folders of `configuration`).
    static func runJob(_ job: ExportJob, _ options: ExportOptions, on longWork: LongWork, configuration: WebServiceConfiguration,
                       admission: LongWork.Admission? = nil, onStart: @Sendable () async -> Void = {}) async -> Result<ExportSummary, any Error> {
        do {
            let place = try admission ?? longWork.admit()
            return .success(try await longWork.run(place, onStart: onStart) { try job.run(options) })
        } catch { return .failure(ExportErrorText.forWeb(error, options: options, configuration: configuration)) }
    }

    /// A job error as a `WebError` (user-facing errors by their category).
    static func webError(_ error: any Error) -> any Error {
        if let e = error as? any UserFacingError { return WebError(e) }
        return error
    }

    static func register(_ r: RouteRegistrar) {
        let env = r.environment
        let limit = env.configuration.maxJSONBodyBytes
        r.api(.post, "/v1/exports", roles: roles) { request, auth in
            try requireConfigured(env.configuration)
            let body = try await RequestBodyReader.decodeJSON(RequestJSON.self, from: request, limit: limit)
            let options = try makeOptions(body, dryRun: false, actor: auth.account.name, configuration: env.configuration)
            let run = try await start(options, actor: auth.account.name, environment: env)
            var response = try JSONResponse.make(ExportJSON.Status(run, language: auth.language, configuration: env.configuration), status: .accepted)
            response.headers[.location] = "/v1/exports/\(run.id)"
            return response
        }
        r.api(.post, "/v1/exports/dry-run", roles: roles) { request, auth in
            try requireConfigured(env.configuration)
            let body = try await RequestBodyReader.decodeJSON(RequestJSON.self, from: request, limit: limit)
            let options = try makeOptions(body, dryRun: true, actor: auth.account.name, configuration: env.configuration)
            let summary = try await dryRun(options, environment: env)
            return try JSONResponse.make(ExportJSON.Summary(summary).relative(to: env.configuration))
        }
        r.api(.get, "/v1/exports/{id}", roles: roles) { _, auth in
            try requireConfigured(env.configuration)
            let id = try PathParameter.text("id", in: auth.context)
            guard let run = try await env.exportRuns.run(id) else { throw WebError.notFound(LocalizedText(de: "Exportlauf \(id)", en: "export run \(id)")) }
            return try JSONResponse.make(ExportJSON.Status(run, language: auth.language, configuration: env.configuration))
        }
    }
}
