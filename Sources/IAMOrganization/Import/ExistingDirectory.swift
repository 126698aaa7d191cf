import Foundation

/// An organization directory that an import adds to: its files, and what the import needs of them.
struct ExistingDirectory: Sendable {
  /// The directory.
  let path: String
  /// Every file under it, relative, sorted (the folder of kept exports and hidden files included: they are kept).
  var files: [String] = []
  /// `organization.json`, parsed.
  var organization: JSONValue?
  /// `permission-sets/*.json`: file, `Name` and `PermissionSetArn`.
  var permissionSets: [(file: String, name: String?, arn: String?)] = []
  /// The entries of `assignments.json`.
  var assignments: [JSONValue] = []

  /// The folder of an organization directory where `iamsim import` keeps the exports it read.
  static let exportsFolder = "exports"

  /// Reads the directory; `nil` when it does not exist or is empty.
  ///
  /// - Throws: when it is a file, or a folder with files but no `organization.json` (not an organization directory:
  ///   an import replaces the directory it writes, so it refuses anything else).
  static func read(_ path: String) throws(InputError) -> ExistingDirectory? {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
    guard isDirectory.boolValue else {
      throw InputError(.importOutput, "`\(path)` is a file, not an organization directory", file: path)
    }
    var existing = ExistingDirectory(path: path)
    existing.files = Self.files(under: path)
    if existing.files.isEmpty { return nil }
    // Only hidden files (`.DS_Store`, `.git/…`): a new directory, which keeps them.
    let visible = existing.files.filter { !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
    if visible.isEmpty { return existing }
    guard existing.files.contains("organization.json") else {
      throw InputError(.importOutput,
                       "`\(path)` is not an organization directory (it has files but no `organization.json`); import writes a new directory or adds to an organization directory",
                       file: path)
    }
    existing.organization = try InputFile.readJSON(path + "/organization.json")
    for file in existing.files where file.hasPrefix("permission-sets/") && file.hasSuffix(".json") {
      let json = try InputFile.readJSON(path + "/" + file)
      existing.permissionSets.append((file, json["Name"]?.stringValue, json["PermissionSetArn"]?.stringValue))
    }
    if existing.files.contains("assignments.json") {
      existing.assignments = try InputFile.readJSON(path + "/assignments.json").elements ?? []
    }
    return existing
  }

  /// The exports an earlier import kept, to read again.
  var storedExports: [String] {
    files.filter { file in
      let parts = file.split(separator: "/")
      return parts.count == 2 && parts[0] == Self.exportsFolder && !parts[1].hasPrefix(".") && parts[1].hasSuffix(".json")
    }
  }

  /// Regular files and symbolic links under `path`, relative, sorted, hidden ones included.
  static func files(under path: String) -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: path) else { return [] }
    var result: [String] = []
    while let relative = enumerator.nextObject() as? String {
      let type = enumerator.fileAttributes?[.type] as? FileAttributeType
      if type == .typeRegular || type == .typeSymbolicLink { result.append(relative) }
    }
    return result.sorted()
  }

  /// The account folders that hold an authorization-details file.
  var accountsWithIAM: Set<String> {
    Set(files.compactMap { file in
      let parts = file.split(separator: "/")
      guard parts.count == 3, parts[0] == "accounts", parts[2] == "authorization-details.json" else { return nil }
      return String(parts[1])
    } + files.compactMap { file in
      let parts = file.split(separator: "/")
      guard parts.count >= 3, parts[0] == "customer-managed-policies" else { return nil }
      return String(parts[1])
    })
  }
}
