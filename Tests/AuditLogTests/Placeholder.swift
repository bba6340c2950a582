import Testing
@testable import AuditLog

