import Foundation
import IAMOrganization
import IAMPolicy
import IAMTestSupport
import Testing

/// The import fixtures: `Fixtures/import/complete` is one small organization (3 accounts, 1 OU, 2 permission sets,
/// 2 users, 2 groups) exported with every command the recipe runs, written from AWS's documented output shapes.
enum ImportFixtures {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/import").path
  static let complete = folder + "/complete"

  static let management = "111100000001"
  static let prod = "111100000002"
  static let dev = "111100000003"
  static let dba = "ps-1a2b3c4d5e6f7a8b"
  static let readOnly = "ps-2b3c4d5e6f7a8b9c"
  static let dbaArn = "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1a2b3c4d5e6f7a8b"
  static let readOnlyArn = "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-2b3c4d5e6f7a8b9c"
  static let instanceArn = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
  static let alice = "906712a3b4-11111111-1111-1111-1111-111111111111"
  static let bob = "906712a3b4-22222222-2222-2222-2222-222222222222"
  static let dbaGroup = "906712a3b4-aaaaaaaa-0000-0000-0000-000000000001"
  static let engineeringGroup = "906712a3b4-aaaaaaaa-0000-0000-0000-000000000002"

  /// The names of the complete set's files, sorted.
  static var completeFiles: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: complete)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
  }

  /// An import of the complete set, less the files whose names `drop` accepts.
  static func importer(dropping drop: (String) -> Bool = { _ in false }) throws -> OrganizationImport {
    var importer = OrganizationImport()
    for name in completeFiles where !drop(name) {
      try importer.add(file: complete + "/" + name, bytes: InputFile.read(complete + "/" + name))
    }
    return importer
  }

  /// An import of the named files of the complete set.
  static func importer(only names: [String]) throws -> OrganizationImport {
    var importer = OrganizationImport()
    for name in names { try importer.add(file: complete + "/" + name, bytes: InputFile.read(complete + "/" + name)) }
    return importer
  }

  /// The error `add` throws for a file with this name and text.
  static func error(_ name: String, _ text: String) -> InputError? {
    var importer = OrganizationImport()
    do {
      try importer.add(file: "/exports/" + name, bytes: Array(text.utf8))
      return nil
    } catch {
      return error
    }
  }

  /// A fresh, empty temporary folder; `body` gets its path; it is removed afterwards.
  static func withTemporaryFolder(_ body: (String) throws -> Void) throws {
    let folder = Scratch.root.appendingPathComponent("iamsim-import-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try body(folder)
  }

  /// A written file, parsed.
  static func json(_ path: String) throws -> JSONValue { try InputFile.readJSON(path) }

  /// A file of a plan, parsed.
  static func json(_ files: [String: [UInt8]], _ name: String) throws -> JSONValue {
    let bytes = try #require(files[name], "no \(name) among \(files.keys.sorted())")
    return try InputFile.parseJSON(bytes, file: name)
  }
}

extension JSONValue {
  /// The value at a path of keys and indexes, such as `["root", "organizationalUnits", 0, "name"]`.
  subscript(path steps: [Any]) -> JSONValue? {
    var value: JSONValue? = self
    for step in steps {
      if let key = step as? String { value = value?[key] } else if let index = step as? Int {
        guard let elements = value?.elements, index < elements.count else { return nil }
        value = elements[index]
      }
    }
    return value
  }

  /// The keys of an object, in order.
  var keys: [String] { members?.map(\.key) ?? [] }
}
