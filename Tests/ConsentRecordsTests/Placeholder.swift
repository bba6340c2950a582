import Testing
@testable import ConsentRecords

