import Foundation
import IAMManagedPolicies
import IAMPolicy

/// Turns policy references (inline JSON, a file path, an AWS managed policy's ARN or name) into documents.
struct PolicyLoader {
  let environment: [String: String]
  /// Folders to search for the shipped permission sets (`policies/permission-sets/`), nearest first.
  let searchRoots: [String]

  init(environment: [String: String], searchRoots: [String]) {
    self.environment = environment
    self.searchRoots = searchRoots
  }

  /// Whether a reference names an AWS managed policy rather than a file.
  static func isManagedARN(_ reference: String) -> Bool {
    reference.hasPrefix(ManagedPolicyLibrary.arnPrefix)
  }

  /// Whether a reference that is not a file reads as a policy name (no path separator, no file extension).
  static func looksLikePolicyName(_ reference: String) -> Bool {
    !reference.isEmpty && !reference.contains("/") && !reference.contains(".")
      && reference.allSatisfy { $0.isLetter || $0.isNumber || "+=,@_-".contains($0) }
  }

  /// Every AWS managed policy, compiled into iamsim.
  func managedLibrary() throws(InputError) -> ManagedPolicyLibrary {
    try ManagedPolicyLibrary.loadShipped()
  }

  /// Loads a policy given on the command line: inline JSON, an AWS managed policy ARN or name, or a file.
  mutating func load(_ reference: String, kind: PolicyKind) throws(InputError) -> PolicyDocument {
    let trimmed = reference.drop { $0 == " " || $0 == "\n" }
    if trimmed.hasPrefix("{") {
      let json = try InputFile.parseJSON(Array(reference.utf8), file: "<inline \(kind.rawValue) policy>")
      return try PolicyDocument(json: json, name: "inline", kind: kind, file: "<inline \(kind.rawValue) policy>")
    }
    if PolicyLoader.isManagedARN(reference) || !FileManager.default.fileExists(atPath: reference) {
      let library = try managedLibrary()
      if let entry = library.entry(for: reference) { return try library.document(entry, kind: kind) }
      if PolicyLoader.isManagedARN(reference) || PolicyLoader.looksLikePolicyName(reference) {
        throw library.notFound(reference, orFile: !PolicyLoader.isManagedARN(reference))
      }
    }
    return try PolicyDocument(parsing: InputFile.read(reference), name: reference, kind: kind, file: reference)
  }

  /// The shipped permission set of this name: `policies/permission-sets/NAME.json` in a search root or above.
  func shippedPermissionSet(_ name: String) -> String? {
    var candidates: [String] = []
    if let explicit = environment["IAMSIM_PERMISSION_SETS"] { candidates.append(explicit) }
    candidates += InputFile.foldersAbove(searchRoots).map { $0 + "/policies/permission-sets" }
    return candidates.map { $0 + "/\(name).json" }.first { FileManager.default.fileExists(atPath: $0) }
  }
}
