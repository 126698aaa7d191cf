import Foundation
import IAMManagedPolicies

/// AWS managed policy documents, each parsed once per kind: iamsim's compiled-in copies, and copies from exports
/// for policies iamsim does not ship.
final class ManagedDocuments: @unchecked Sendable {
  private let lock = NSLock()
  private let library: ManagedPolicyLibrary?
  private let libraryError: String?
  private var parsed: [String: PolicyDocument] = [:]
  private var exported: [String: PolicyDocument] = [:]

  /// The documents shared by organizations built in code.
  static let shared = ManagedDocuments()

  init() {
    do {
      library = try ManagedPolicyLibrary.shipped()
      libraryError = nil
    } catch {
      library = nil
      libraryError = error.message
    }
  }

  func isShipped(_ arn: String) -> Bool { library?.policy(for: arn) != nil }

  func add(_ arn: String, _ document: PolicyDocument) { lock.withLock { exported[arn] = document } }

  /// The document of an AWS managed policy for a role (identity policy or boundary).
  func document(_ arn: String, kind: PolicyKind, file: String?, path: JSONPath, position: SourcePosition?) throws(InputError)
    -> PolicyDocument
  {
    let key = kind.rawValue + " " + arn
    if let document = lock.withLock({ parsed[key] }) { return document }
    guard let library else {
      throw InputError("policies.unreadable", "cannot read the AWS managed policies compiled into iamsim: \(libraryError ?? "")")
    }
    let document: PolicyDocument
    if let policy = library.policy(for: arn), policy.arn == arn {
      document = try library.document(policy, kind: kind)
    } else if let copy = lock.withLock({ exported[arn] }) {
      document = copy
    } else {
      throw library.notFound(arn, file: file, path: path, position: position)
    }
    lock.withLock { parsed[key] = document }
    return document
  }
}
