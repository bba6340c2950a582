import ConsentRecords
import Foundation

/// The fictitious people `serve --demo` puts into an empty demo installation, so that the pages have
/// someone to check and the audit pages something to show. Case ids, birth dates, municipalities and
/// consent clauses come from the shipped sample list (`shared/data/registrations-sample.csv`, generated,
/// no real person); no names or other values are stored (the subject table never holds them).
///
/// Demo mode only: `Gate.seedDemoDataSet` refuses to run on an installation not opened with `--demo`.
public struct DemoPerson: Sendable, Equatable {
    /// Case id (`Fall-ID`).
    public var id: String
    /// `Kommune`.
    public var municipality: String
    /// Birth date, `yyyy-mm-dd`.
    public var birthDate: String
    /// `Unbegleitet minderjährig`.
    public var unaccompaniedMinor: Bool
    /// The consent clauses of the `kim-beratung` declaration the person signed; empty: no consent.
    public var clauses: [String]
}

/// The demo data set: Siegburg (the demo case worker's municipality) and Troisdorf (to show that a case
/// worker never sees another municipality's people).
public enum DemoDataSet {
    /// The people, in case-id order.
    public static let people: [DemoPerson] = [
        DemoPerson(id: "RSK-2022-000041", municipality: "Troisdorf", birthDate: "1975-03-03", unaccompaniedMinor: false, clauses: ["jobcenter", "sprachkurs"]),
        DemoPerson(id: "RSK-2022-000044", municipality: "Troisdorf", birthDate: "2010-10-15", unaccompaniedMinor: false, clauses: ["schulamt-foerderbedarf", "jugendamt-gesundheit"]),
        DemoPerson(id: "RSK-2022-000053", municipality: "Troisdorf", birthDate: "2010-05-14", unaccompaniedMinor: true, clauses: []),
        DemoPerson(id: "RSK-2022-000063", municipality: "Siegburg", birthDate: "1957-10-29", unaccompaniedMinor: false, clauses: ["jobcenter"]),
        DemoPerson(id: "RSK-2022-000064", municipality: "Siegburg", birthDate: "2013-11-07", unaccompaniedMinor: false, clauses: []),
        DemoPerson(id: "RSK-2022-000065", municipality: "Siegburg", birthDate: "1981-09-14", unaccompaniedMinor: false, clauses: []),
        DemoPerson(id: "RSK-2022-000066", municipality: "Siegburg", birthDate: "1943-04-19", unaccompaniedMinor: false, clauses: ["jobcenter", "sprachkurs"]),
        DemoPerson(id: "RSK-2022-000067", municipality: "Siegburg", birthDate: "2019-06-09", unaccompaniedMinor: false, clauses: []),
        DemoPerson(id: "RSK-2022-000068", municipality: "Siegburg", birthDate: "2016-10-02", unaccompaniedMinor: false, clauses: ["schulamt-foerderbedarf", "jugendamt-gesundheit"]),
        DemoPerson(id: "RSK-2022-000129", municipality: "Siegburg", birthDate: "1993-06-29", unaccompaniedMinor: false, clauses: ["jobcenter", "migrationsberatung"]),
        DemoPerson(id: "RSK-2022-000131", municipality: "Siegburg", birthDate: "2013-05-30", unaccompaniedMinor: false, clauses: ["jugendamt-gesundheit"]),
        DemoPerson(id: "RSK-2022-000132", municipality: "Siegburg", birthDate: "2010-01-02", unaccompaniedMinor: true, clauses: ["jugendamt", "schulamt-foerderbedarf"]),
    ]

    /// The demo consents are dated this many days before the seeding, so they hold for the template's
    /// two years of validity from the day the demo starts.
    public static let consentAgeDays = 30
}

extension Gate {
    /// Puts the demo data set into an installation opened in demo mode, once: when the first demo person
    /// is already stored, nothing happens. A bundle the data set does not fit is refused before anything is
    /// written (`DemoDataSetMismatch`). Stores each person and signs, stores and logs each consent
    /// (`consent-granted`) with the demo consent-signer key; minors under the template's minimum age get a
    /// fictitious guardian. Returns the number of consents granted (0 when the data set was there).
    @discardableResult
    public func seedDemoDataSet(now: Date = Date(), actor: Actor = Actor(id: "demo-daten")) throws -> Int {
        guard configuration.demoMode else { throw GateError.demoDataOutsideDemoMode }
        let gaps = DemoDataSet.gaps(in: policy.bundle)
        guard gaps.isEmpty else { throw DemoDataSetMismatch(bundle: policy.bundle.id, gaps: gaps) }
        guard let first = DemoDataSet.people.first, try subject(id: first.id) == nil else { return 0 }
        let grantedAt = now.addingTimeInterval(-Double(DemoDataSet.consentAgeDays) * 86_400)
        var granted = 0
        for person in DemoDataSet.people {
            let birth = Self.demoDay(person.birthDate)
            let subject = Subject(id: person.id, birthDate: birth, municipality: person.municipality,
                                  unaccompaniedMinor: person.unaccompaniedMinor)
            if person.clauses.isEmpty {
                _ = try saveSubject(subject)
                continue
            }
            let age = Calendar.utc.dateComponents([.year], from: birth, to: grantedAt).year ?? 0
            let request = GrantRequest(
                subject: subject, templateID: DemoDataSet.templateID, language: "de", clauses: person.clauses, grantedAt: grantedAt,
                collectedBy: CaseManagerReference(caseManager: "demo-fallmanagement", municipality: person.municipality),
                guardians: age < 18 ? [Guardian(name: "Sorgeberechtigte Person (Demo)", relation: "Elternteil")] : [])
            _ = try grantConsent(request, actor: actor, now: now)
            granted += 1
        }
        return granted
    }

    /// A day of the fixed table above (a malformed one is a programming error the tests catch).
    private static func demoDay(_ text: String) -> Date {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3,
              let date = Calendar.utc.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else {
            preconditionFailure("demo data set: bad date \(text)")
        }
        return date
    }
}

private extension Calendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
