import Foundation
import IAMPolicy

/// The AWS managed policies shipped in the repository's `policies/aws-managed/` folder, found by ARN or name.
struct ManagedPolicyLibrary {
  /// One shipped policy.
  struct Entry {
    let name: String
    let arn: String
    let versionId: String
    let file: String
  }

  /// The folder holding `index.json` and the documents.
  let directory: String
  /// The shipped policies by lower-cased ARN and by lower-cased name.
  private let byKey: [String: Entry]

  /// Finds the library: `$IAMSIM_POLICIES`, else a `policies/aws-managed` folder in one of `searchRoots`
  /// or any folder above it (the case file's folder, the working directory, the executable's folder).
  static func locate(searchRoots: [String], environment: [String: String]) throws(InputError) -> ManagedPolicyLibrary {
    var candidates: [String] = []
    if let explicit = environment["IAMSIM_POLICIES"] { candidates.append(explicit) }
    for root in searchRoots {
      var url = URL(fileURLWithPath: root).standardizedFileURL
      while true {
        candidates.append(url.appendingPathComponent("policies/aws-managed").path)
        let parent = url.deletingLastPathComponent()
        if parent.path == url.path { break }
        url = parent
      }
    }
    for candidate in candidates where FileManager.default.fileExists(atPath: candidate + "/index.json") {
      return try ManagedPolicyLibrary(directory: candidate)
    }
    throw InputError(
      .fileUnreadable,
      "cannot find the shipped AWS managed policies (`policies/aws-managed/index.json`) above the working directory; set IAMSIM_POLICIES to that folder")
  }

  init(directory: String) throws(InputError) {
    self.directory = directory
    let indexPath = directory + "/index.json"
    let index = try InputFile.readJSON(indexPath)
    var byKey: [String: Entry] = [:]
    for item in index["policies"]?.elements ?? [] {
      guard let name = item["name"]?.stringValue, let arn = item["arn"]?.stringValue,
        let file = item["file"]?.stringValue
      else {
        throw InputError(.wrongType, "an entry of the managed policy index lacks `name`, `arn` or `file`", file: indexPath,
                         position: item.position)
      }
      let entry = Entry(name: name, arn: arn, versionId: item["versionId"]?.stringValue ?? "", file: file)
      byKey[arn.lowercased()] = entry
      byKey[name.lowercased()] = entry
    }
    self.byKey = byKey
  }

  /// The shipped policy with this ARN or name, if any.
  func entry(for reference: String) -> Entry? {
    byKey[reference.lowercased()]
  }

  /// Reads a shipped policy for the given role.
  func document(_ entry: Entry, kind: PolicyKind) throws(InputError) -> PolicyDocument {
    let path = directory + "/" + entry.file
    return try PolicyDocument(parsing: InputFile.read(path), name: entry.arn, kind: kind, file: path, isAWSManaged: true)
  }
}
