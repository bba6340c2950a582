import AuditLog
import Foundation
import Gate
import PolicyEngine
import Signing
import Synchronization

/// One partner's part of a run while it is being written: its staging folder and CSV, the ledger
/// fingerprints it compares against, and the disclosure shapes of its records. Not `Sendable`: one run, one task.
struct PartnerRun {
    let plan: PartnerPlan
    /// Whether committed fingerprints are compared (not with `--full`, nor when nothing was ever committed for
    /// the partner: the run then looks nothing up).
    let compare: Bool
    /// The committed fingerprints (first 64 bits) of the current chunk's subjects, by subject.
    var fingerprints: [String: UInt64] = [:]
    /// Erasure notices due for this partner.
    let notices: [DueNotice]
    /// The subjects of `notices`: their records are decided and sent again even when unchanged, so that what is still
    /// released on another basis (a renewed consent, other lines) arrives in the same folder as the notice.
    let resend: Set<String>
    var staging: PartnerRunStaging?
    var csv: ExcelCSVWriter?
    var records = 0
    /// Per column: whether any exported record released it.
    var releasedColumns: [Bool]
    /// The run's disclosure shapes (see `DisclosureShape`).
    var shapes = ShapeRegistry()
    /// One fingerprinter per set of released columns (bit i: column i), built on first use.
    var fingerprinters: [UInt64: RecordFingerprint] = [:]
    /// What the run's disclosure entries share (set when the run is registered as pending).
    var context: RunEntryContext?

    init(plan: PartnerPlan, compare: Bool, notices: [DueNotice]) {
        self.plan = plan; self.compare = compare; self.notices = notices
        resend = Set(notices.map(\.subject))
        releasedColumns = Array(repeating: false, count: plan.columns.count)
    }

    /// Whether the run publishes a folder for this partner.
    var hasOutput: Bool { records > 0 || !notices.isEmpty }
}

/// The distinct disclosure shapes of a partner run, each with a small id. Records whose fields all rest on
/// statute are looked up by the rules that released their columns (no strings built per record); records
/// with consent-based fields by their shape (built from the decision).
struct ShapeRegistry {
    private var byRules: [[Int32]: Int32] = [:]
    private var byShape: [DisclosureShape: Int32] = [:]
    /// Shapes not yet handed to the ledger.
    private(set) var unstaged: [(id: Int32, description: String)] = []

    /// The id for records whose columns were released by `rules` (-1: not released), if seen before.
    func id(rules: [Int32]) -> Int32? { byRules[rules] }

    /// The rules-to-id table as it is now (read by the chunk's deciding threads).
    var byRulesSnapshot: [[Int32]: Int32] { byRules }

    /// The id of `shape` (new shapes are numbered and queued for staging); remembered under `rules` when given.
    mutating func id(for shape: DisclosureShape, rules: [Int32]?) throws -> Int32 {
        let id: Int32
        if let known = byShape[shape] { id = known } else {
            id = Int32(byShape.count)
            byShape[shape] = id
            unstaged.append((id, try shape.description()))
        }
        if let rules { byRules[rules] = id }
        return id
    }

    /// Hands the queued shapes over (they go into the same transaction as the records that use them).
    mutating func takeUnstaged() -> [(id: Int32, description: String)] {
        defer { unstaged.removeAll() }
        return unstaged
    }
}

/// What every chunk of a run needs: the installation, the plan, the household set and reusable buffers.
struct RunContext {
    let gate: Gate
    let plan: ExportPlan
    let options: ExportOptions
    let runID: String
    /// The school-age households from pass 1; emptied when pass 2 ends.
    var households: HouseholdSet
    let layout: RegistrationLayout
    /// Subjects with at least one stored consent (the others have no facts to read).
    let consentSubjects: Set<String>
    /// The columns (index, field) that become attribute values (`ExportPlan.attributeFields`).
    let attributeColumns: [(index: Int, field: String)]
    /// Per partner, per export column: its position in a record's values (nil: the file lacks the field).
    let columnIndexes: [[Int?]]
    /// The household cell's position.
    let householdIndex: Int?
    /// Writes each chunk's subjects and staged rows on a second thread.
    let writer = ChunkWriter()

    init(gate: Gate, plan: ExportPlan, options: ExportOptions, runID: String, households: HouseholdSet, layout: RegistrationLayout) throws {
        self.gate = gate; self.plan = plan; self.options = options; self.runID = runID
        self.households = households; self.layout = layout
        consentSubjects = try gate.subjectsWithConsents()
        columnIndexes = plan.partners.map { $0.columns.map(layout.index(of:)) }
        householdIndex = layout.index(of: ExportPlan.householdField)
        attributeColumns = layout.fields.enumerated().filter { plan.attributeFields.contains($0.element) }.map { ($0.offset, $0.element) }
    }

    /// The subject a row states: case id, birth date, municipality, unaccompanied-minor flag.
    func statedSubject(_ r: RegistrationRecord) -> Subject {
        let birth = r.birthDate.map { Date(timeIntervalSince1970: Double(UTCDay.days(year: $0.year, month: $0.month, day: $0.day)) * 86_400) }
        let municipality = r[ExportPlan.municipalityField].map(ExportPlan.trimmed).flatMap { $0.isEmpty ? nil : $0 }
        var unaccompanied: Bool? = nil
        if let cell = r[ExportPlan.unaccompaniedField], case .bool(let b)? = plan.attributeValue(field: ExportPlan.unaccompaniedField, cell: cell) {
            unaccompanied = b
        }
        return Subject(id: r.caseID, birthDate: birth, municipality: municipality, unaccompaniedMinor: unaccompanied)
    }

    /// Merges the chunk's subjects with the stored ones, decides every record for every partner (the two halves
    /// of the chunk on both cores, `ChunkDecider`), merges the halves in record order (CSV rows, staged records,
    /// shape ids as one pass in order would assign them), and hands the chunk's changed subjects and staged rows
    /// to the writer thread (one transaction), which stores them while the next chunk is read and decided.
    mutating func process(_ chunk: [RegistrationRecord], runs: inout [PartnerRun], lock: ExportJob.DriveLockBox?) throws {
        guard !chunk.isEmpty else { return }
        let subjects = try gate.mergedSubjects(chunk.map(statedSubject))
        let comparing = runs.indices.filter { runs[$0].compare }
        let committed = try gate.exportLedger.committedFingerprints(partners: comparing.map { runs[$0].plan.partner },
                                                                    subjects: chunk.map(\.caseID))
        for (k, fingerprints) in zip(comparing, committed.byPartner) { runs[k].fingerprints = fingerprints }
        let decider = ChunkDecider(gate: gate, plan: plan, policy: gate.policy, options: options, households: households,
                                   consentSubjects: consentSubjects, attributeColumns: attributeColumns,
                                   columnIndexes: columnIndexes, householdIndex: householdIndex)
        let views = runs.map { r in
            ChunkDecider.PartnerView(plan: r.plan, compare: r.compare, fingerprints: r.fingerprints, resend: r.resend,
                                     knownShapes: r.shapes.byRulesSnapshot, fingerprinters: r.fingerprinters)
        }
        let merged = subjects.map(\.subject)
        // Two halves on both cores for a full chunk; small chunks (tests, the tail) in one go.
        let parts = chunk.count >= 512 ? [0..<chunk.count / 2, chunk.count / 2..<chunk.count] : [0..<chunk.count]
        let results = Mutex<[Result<[ChunkDecider.PartnerSlice], any Error>?]>(Array(repeating: nil, count: parts.count))
        DispatchQueue.concurrentPerform(iterations: parts.count) { i in
            let r = Result { try decider.decide(chunk[parts[i]], subjects: merged[parts[i]], views: views) }
            results.withLock { $0[i] = r }
        }
        var staged = ExportChunkWrite()
        if !options.dryRun {
            staged.subjects = subjects.filter(\.changed).map(\.subject)
            staged.superseded = committed.superseded
        }
        staged.partners = runs.map { ExportChunkWrite.PartnerPart(runID: runID, partner: $0.plan.partner) }
        for part in results.withLock({ $0 }) {
            let slices = try part!.get()
            for (k, slice) in slices.enumerated() {
                runs[k].records += slice.records
                for (c, released) in slice.releasedColumns.enumerated() where released { runs[k].releasedColumns[c] = true }
                runs[k].fingerprinters.merge(slice.fingerprinters) { old, _ in old }
                guard slice.rows > 0 else { continue }
                if runs[k].csv == nil { try open(&runs[k], lock: lock) }
                try runs[k].csv?.write(encodedRows: slice.csv, count: slice.rows)
                for draft in slice.drafts {
                    var record = draft.record
                    if let new = draft.newShape {
                        record.shape = try new.rules.flatMap(runs[k].shapes.id(rules:)) ?? runs[k].shapes.id(for: new.shape, rules: new.rules)
                    }
                    staged.partners[k].records.append(record)
                }
                staged.partners[k].reliance.append(contentsOf: slice.reliance)
            }
        }
        guard !options.dryRun else { return }
        for k in runs.indices { staged.partners[k].shapes = runs[k].shapes.takeUnstaged() }
        try writer.submit(staged, ledger: gate.exportLedger, updatedAt: RFC3339.format(options.now))
    }

    /// Opens the partner's staging folder on first use (registering the run as pending first).
    func open(_ run: inout PartnerRun, lock: ExportJob.DriveLockBox?) throws {
        guard let lock else { return }
        let context = RunEntryContext(time: AuditTime.format(options.now), actor: options.actor, policyDigest: gate.policy.digest,
                                      purpose: run.plan.purpose)
        try gate.exportLedger.beginPending(runID: runID, partner: run.plan.partner, entryContext: try context.text())
        run.context = context
        let staging = try PartnerRunStaging(drive: options.drive, partnerFolder: run.plan.folder, runID: runID, lock: lock.lock)
        run.staging = staging
        run.csv = try staging.csvWriter(header: run.plan.labels)
    }

    /// Finishes the partner's files, stages the manifest, logs the run's entries (staged disclosures in batches, then
    /// notices and `export-run`) and publishes the signed folder; the job commits the ledgers of all published
    /// partners together afterwards (docs/export-job.md explains why in this order).
    func publish(_ run: inout PartnerRun, inputSHA256: String, quarantined: Int, signingKey: PrivateKey,
                 lock: ExportJob.DriveLockBox, logged: ((Int) -> Void)? = nil) throws -> String {
        if run.csv == nil { try open(&run, lock: lock) }
        guard let staging = run.staging, let csv = run.csv else { throw DriveExportError.manifestMismatch(reason: "no staging folder") }
        let p = run.plan
        try staging.add(csv.finish())
        let notices = run.notices.map(ErasureNotices.ledgerNotice)
        if !run.notices.isEmpty {
            let writer = try staging.csvWriter(header: ErasureNotices.header, name: ErasureNotices.fileName)
            for n in run.notices { try writer.write(ErasureNotices.cells(n)) }
            try staging.add(writer.finish())
            try gate.exportLedger.stageNotices(runID: runID, partner: p.partner, notices: notices)
        }
        var manifest = ExportManifest(
            runID: runID, partner: p.partner, purpose: p.purpose,
            policy: .init(id: gate.policy.bundle.id, version: gate.policy.bundle.version, digest: gate.policy.digest),
            inputSHA256: inputSHA256, createdAt: options.now, files: staging.files, signerKid: signingKey.publicKey.kid,
            signerAlgorithm: signingKey.algorithm, auditCheckpoint: nil)
        var draft = ManifestDraft(manifest)
        draft.quarantined = quarantined
        draft.actor = options.actor
        try gate.exportLedger.markReady(runID: runID, partner: p.partner, stagingPath: staging.stagingPath,
                                        finalPath: staging.finalPath, manifest: draft.jsonText())
        try StagedAuditEntries.append(gate: gate, runID: runID, partner: p.partner, purpose: p.purpose, inputSHA256: inputSHA256,
                                      records: run.records, quarantined: quarantined, notices: notices, skipping: [],
                                      actor: options.actor, at: options.now, context: run.context, logged: logged)
        CrashPoint.reached(.afterAudit, partner: p.partner)
        manifest.auditCheckpoint = try gate.auditLog.latestCheckpoint()
        let path = try staging.publish(manifest: manifest, signingKey: signingKey)
        CrashPoint.reached(.afterPublish, partner: p.partner)
        return path
    }
}
