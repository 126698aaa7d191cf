import Foundation
import IAMPolicy

/// Turns policy references (inline JSON, a file path, a shipped AWS managed policy's ARN or name) into documents.
struct PolicyLoader {
  let environment: [String: String]
  private var library: ManagedPolicyLibrary?
  /// Folders to search for the shipped policies, nearest first.
  private let searchRoots: [String]

  init(environment: [String: String], searchRoots: [String]) {
    self.environment = environment
    self.searchRoots = searchRoots
  }

  /// Whether a reference names an AWS managed policy rather than a file.
  static func isManagedARN(_ reference: String) -> Bool {
    reference.hasPrefix("arn:aws:iam::aws:policy/")
  }

  mutating func managedLibrary() throws(InputError) -> ManagedPolicyLibrary {
    if let library { return library }
    let located = try ManagedPolicyLibrary.locate(searchRoots: searchRoots, environment: environment)
    library = located
    return located
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
      if PolicyLoader.isManagedARN(reference) {
        throw InputError(.fileUnreadable, "`\(reference)` is not one of the AWS managed policies shipped in \(library.directory)")
      }
    }
    return try PolicyDocument(parsing: InputFile.read(reference), name: reference, kind: kind, file: reference)
  }
}
