import Foundation
import IAMEvaluation
import IAMOrganization
import IAMPolicy
import Testing

/// Organization directories broken in one way each, written from `Documentation/OrganizationFormat.md` by someone
/// who did not read the loader: each must be refused with an error naming the file, the member and (where the
/// fixture gives it) the line and column.
@Suite struct OrganizationDirectoryTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

  struct Expectation: Sendable, CustomTestStringConvertible {
    var folder: String
    var name: String
    var file: String
    var member: String
    var line: Int?
    var column: Int?
    var testDescription: String { name }
  }

  static func expectations(_ list: String, folder: String) -> [Expectation] {
    let path = fixtures + "/broken/" + list
    guard let data = FileManager.default.contents(atPath: path),
      let items = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
    else { return [] }
    return items.map {
      Expectation(folder: folder, name: $0["case"] as? String ?? "", file: $0["file"] as? String ?? "",
                  member: $0["member"] as? String ?? "", line: $0["line"] as? Int, column: $0["column"] as? Int)
    }
  }

  @Test func theFixtureListsAreThere() {
    #expect(Self.expectations("EXPECTED.json", folder: "broken").count >= 40)
    #expect(Self.expectations("WARNINGS.json", folder: "warnings").count >= 6)
  }

  @Test func theValidBaseLoadsWithoutFindings() throws {
    let organization = try OrganizationDirectory.load(Self.fixtures + "/broken/_valid-base")
    #expect(organization.findings.isEmpty)
    #expect(organization.accounts.map(\.id) == ["999988887777", "111122223333", "444455556666"])
  }

  @Test(arguments: expectations("EXPECTED.json", folder: "broken"))
  func aBrokenDirectoryIsRefused(_ expected: Expectation) {
    let directory = Self.fixtures + "/broken/" + expected.name
    do {
      _ = try OrganizationDirectory.load(directory)
      Issue.record("\(expected.name) loaded; it must be refused")
    } catch {
      let errors = error.diagnostics.filter { $0.severity == .error }
      let matching = errors.filter {
        ($0.file ?? "").hasSuffix("/" + expected.file)
          && ($0.message.contains(expected.member) || $0.path.description.contains(expected.member))
          && (expected.line == nil || ($0.position?.line == expected.line && $0.position?.column == expected.column))
      }
      #expect(!matching.isEmpty, "\(expected.name): no error names \(expected.file) \(expected.member) at \(expected.line ?? 0):\(expected.column ?? 0); got \(errors.map(\.formatted))")
    }
  }

  @Test(arguments: expectations("WARNINGS.json", folder: "warnings"))
  func aWarningDirectoryLoadsWithItsWarning(_ expected: Expectation) throws {
    let organization = try OrganizationDirectory.load(Self.fixtures + "/warnings/" + expected.name)
    let matching = organization.findings.filter {
      $0.severity == .warning && ($0.file ?? "").contains(expected.file.split(separator: "/").first.map(String.init) ?? expected.file)
        && ($0.message.contains(expected.member) || $0.path.description.contains(expected.member))
    }
    #expect(!matching.isEmpty, "\(expected.name): no warning about \(expected.member); got \(organization.findings.map(\.formatted))")
  }

  @Test func theExampleOrganizationLoads() throws {
    let organization = try OrganizationDirectory.load(Self.fixtures + "/../../../cases/example-org")
    #expect(organization.findings.isEmpty)
    #expect(organization.managementAccount == "999988887777")
    #expect(organization.permissionSets.map(\.name) == ["DatabaseAdministrator", "DepartmentEngineer"])
  }
}
