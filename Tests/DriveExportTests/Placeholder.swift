import Testing
@testable import DriveExport

