import AuditLog
import Foundation
import Gate
import PolicyEngine
import Signing

/// One partner's part of a run while it is being written: its staging folder and CSV, the ledger
/// fingerprints it compares against, and the audit entries it will log. Not `Sendable`: one run, one task.
struct PartnerRun {
    let plan: PartnerPlan
    /// Committed fingerprints (first 64 bits) by subject; empty with `--full`.
    let fingerprints: [String: UInt64]
    /// Erasure notices due for this partner.
    let notices: [DueNotice]
    var staging: PartnerRunStaging?
    var csv: ExcelCSVWriter?
    var records = 0
    /// Per column: whether any exported record released it.
    var releasedColumns: [Bool]
    /// Ledger rows not yet staged in the database.
    var pendingRows: [ExportLedgerRow] = []
    /// Index columns of the disclosures staged by this run, by subject (see `StagedAuditEntries`).
    var stagedColumns: [String: StagedAuditEntries.StagedColumns] = [:]

    init(plan: PartnerPlan, fingerprints: [String: UInt64], notices: [DueNotice]) {
        self.plan = plan; self.fingerprints = fingerprints; self.notices = notices
        releasedColumns = Array(repeating: false, count: plan.columns.count)
    }

    /// Whether the run publishes a folder for this partner.
    var hasOutput: Bool { records > 0 || !notices.isEmpty }
}

/// What every chunk of a run needs: the installation, the plan, the household set and a reusable buffer.
struct RunContext {
    let gate: Gate
    let plan: ExportPlan
    let options: ExportOptions
    let runID: String
    let households: Set<String>
    let layout: RegistrationLayout
    /// Subjects with at least one stored consent (the others have no facts to read).
    let consentSubjects: Set<String>
    private var outcomes: [PolicyEngine.FieldOutcome]

    init(gate: Gate, plan: ExportPlan, options: ExportOptions, runID: String, households: Set<String>, layout: RegistrationLayout) throws {
        self.gate = gate; self.plan = plan; self.options = options; self.runID = runID
        self.households = households; self.layout = layout
        consentSubjects = try gate.subjectsWithConsents()
        outcomes = Array(repeating: PolicyEngine.FieldOutcome(), count: max(1, plan.partners.map(\.columns.count).max() ?? 1))
    }

    /// The subject a row states: case id, birth date, municipality, unaccompanied-minor flag.
    func statedSubject(_ r: RegistrationRecord) -> Subject {
        let birth = r.birthDate.map { Date(timeIntervalSince1970: Double(UTCDay.days(year: $0.year, month: $0.month, day: $0.day)) * 86_400) }
        let municipality = r[ExportPlan.municipalityField].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        var unaccompanied: Bool? = nil
        if let cell = r[ExportPlan.unaccompaniedField], case .bool(let b)? = plan.attributeValue(field: ExportPlan.unaccompaniedField, cell: cell) {
            unaccompanied = b
        }
        return Subject(id: r.caseID, birthDate: birth, municipality: municipality, unaccompaniedMinor: unaccompanied)
    }

    /// Records the chunk's subjects (one transaction), decides every record for every partner and writes
    /// what is released and new; stages the ledger rows of each partner (one transaction each).
    mutating func process(_ chunk: [RegistrationRecord], runs: inout [PartnerRun], lock: ExportJob.DriveLockBox?) throws {
        guard !chunk.isEmpty else { return }
        let subjects = try gate.mergeSubjects(chunk.map(statedSubject), persist: !options.dryRun, now: options.now)
        let now = options.now
        let policy = gate.policy   // once per chunk: the getter copies the compiled policy (retains every part of it)
        for (record, subject) in zip(chunk, subjects) {
            var attrs = subject.attributes
            for (i, f) in layout.fields.enumerated() {
                if let v = plan.attributeValue(field: f, cell: record.values[i]) { attrs.values[f] = v }
            }
            let household = ExportPlan.trimmed(record[ExportPlan.householdField] ?? "")
            attrs.values["household-school-age-child"] = .bool(!household.isEmpty && households.contains(household))
            var facts: [ConsentFact]? = nil
            for k in runs.indices {
                let p = runs[k].plan
                guard policy.selects(export: p.profile, subject: attrs, at: now) else { continue }
                if facts == nil {
                    facts = consentSubjects.contains(subject.id)
                        ? try gate.consents.facts(subject: subject.id, now: now, subjectBirthDate: subject.birthDate) : []
                }
                policy.evaluate(p.prepared, subject: attrs, consents: facts!, at: now, into: &outcomes)
                var cells = [String](repeating: "", count: p.columns.count)
                var released: [(field: String, value: String)] = []
                for c in p.columns.indices where outcomes[c].permitted {
                    let value = record[p.columns[c]] ?? ""
                    cells[c] = value
                    released.append((p.columns[c], value))
                }
                guard !released.isEmpty else { continue }           // nothing released: the record is left out
                let fingerprint = RecordFingerprint.of(released)
                if runs[k].fingerprints[subject.id] == UInt64(fingerprint.prefix(16), radix: 16) { continue }  // unchanged
                runs[k].records += 1
                for c in p.columns.indices where outcomes[c].permitted { runs[k].releasedColumns[c] = true }
                if options.dryRun { continue }
                try write(cells, run: &runs[k], lock: lock)
                let decision = policy.decision(
                    for: DecisionRequest(subject: subject.id, attributes: attrs, partner: p.partner, purpose: p.purpose,
                                         fields: p.columns, at: now),
                    outcomes: Array(outcomes[0..<p.columns.count]), consents: facts!)
                let disclosed = decision.fields.filter { $0.outcome == .permit }.map(Self.disclosed)
                let entry = AuditEntry(
                    time: now, actor: options.actor, municipality: subject.municipality, policyDigest: policy.digest,
                    content: .disclosure(DisclosureRecord(partner: p.partner, purpose: p.purpose, subject: subject.id,
                                                          fields: disclosed, exportRun: runID)))
                let relied = Set(disclosed.compactMap { $0.consent?.id }).sorted()
                runs[k].pendingRows.append(ExportLedgerRow(subject: subject.id, fingerprint: fingerprint, consents: relied,
                                                           entry: entry.canonicalBytes()))
                runs[k].stagedColumns[subject.id] = .init(municipality: subject.municipality, released: Int32(disclosed.count))
            }
        }
        for k in runs.indices where !runs[k].pendingRows.isEmpty {
            try gate.exportLedger.stage(runID: runID, partner: runs[k].plan.partner, rows: runs[k].pendingRows)
            runs[k].pendingRows.removeAll(keepingCapacity: true)
        }
    }

    /// The audit form of a permitted field: id, basis, rule, citation, consent clause (never the value).
    static func disclosed(_ f: FieldDecision) -> DisclosedField {
        let basis: DisclosedField.Basis = f.basis == .consent ? .consent : .statute
        var consent: AuditLog.ConsentReference? = nil
        if let c = f.consent { consent = AuditLog.ConsentReference(id: c.id, clause: c.clause) }
        return DisclosedField(field: f.field, basis: basis, rule: f.rule, citation: f.citation, consent: consent)
    }

    /// Opens the partner's staging folder on first use (registering the run as pending first), then writes a row.
    func write(_ cells: [String], run: inout PartnerRun, lock: ExportJob.DriveLockBox?) throws {
        if run.csv == nil { try open(&run, lock: lock) }
        try run.csv?.write(cells)
    }

    func open(_ run: inout PartnerRun, lock: ExportJob.DriveLockBox?) throws {
        guard let lock else { return }
        try gate.exportLedger.beginPending(runID: runID, partner: run.plan.partner)
        let staging = try PartnerRunStaging(drive: options.drive, partnerFolder: run.plan.folder, runID: runID, lock: lock.lock)
        run.staging = staging
        run.csv = try staging.csvWriter(header: run.plan.labels)
    }

    /// Finishes the partner's files, stages the manifest, logs the run's entries (staged disclosures in batches, then
    /// notices and `export-run`), publishes
    /// the signed folder and commits the ledger (docs/export.md §11 explains why in this order).
    func publish(_ run: inout PartnerRun, inputSHA256: String, quarantined: Int, signingKey: PrivateKey,
                 lock: ExportJob.DriveLockBox) throws -> String {
        if run.csv == nil { try open(&run, lock: lock) }
        guard let staging = run.staging, let csv = run.csv else { throw DriveExportError.manifestMismatch(reason: "no staging folder") }
        let p = run.plan
        try staging.add(csv.finish())
        let notices = run.notices.map { ExportReliance(partner: p.partner, consentID: $0.consentID, subject: $0.subject) }
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
                                      actor: options.actor, at: options.now, columns: run.stagedColumns)
        run.stagedColumns = [:]
        CrashPoint.reached(.afterAudit, partner: p.partner)
        manifest.auditCheckpoint = try gate.auditLog.latestCheckpoint()
        let path = try staging.publish(manifest: manifest, signingKey: signingKey)
        CrashPoint.reached(.afterPublish, partner: p.partner)
        try gate.exportLedger.commit(runID: runID, partner: p.partner)
        return path
    }
}
