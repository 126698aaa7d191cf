import Foundation
import IAMManagedPolicies

/// AWS managed policy documents, each parsed once per kind: iamsim's compiled-in copies once per process (shared by
/// every organization loaded, so that two loads compare their documents by identity), and copies from an export
/// for policies iamsim does not ship, per organization.
final class ManagedDocuments: @unchecked Sendable {
  private let lock = NSLock()
  private var exported: [String: PolicyDocument] = [:]
  private var parsedExports: [String: PolicyDocument] = [:]

  /// The shipped library (read once per process by `ManagedPolicyLibrary`).
  private static var library: Result<ManagedPolicyLibrary, ManagedPolicyLibraryError> {
    Result { () throws(ManagedPolicyLibraryError) in try ManagedPolicyLibrary.shipped() }
  }
  /// Shipped documents by kind and ARN, parsed once per process.
  private static let shippedLock = NSLock()
  nonisolated(unsafe) private static var shipped: [String: PolicyDocument] = [:]

  /// The documents shared by organizations built in code.
  static let shared = ManagedDocuments()

  func isShipped(_ arn: String) -> Bool { (try? Self.library.get())?.policy(for: arn) != nil }

  func add(_ arn: String, _ document: PolicyDocument) { lock.withLock { exported[arn] = document } }

  /// The document of an AWS managed policy for a role (identity policy or boundary).
  func document(_ arn: String, kind: PolicyKind, file: String?, path: JSONPath, position: SourcePosition?) throws(InputError)
    -> PolicyDocument
  {
    let key = kind.rawValue + " " + arn
    if let document = Self.shippedLock.withLock({ Self.shipped[key] }) { return document }
    if let document = lock.withLock({ parsedExports[key] }) { return document }
    let library: ManagedPolicyLibrary
    switch Self.library {
    case .success(let shippedLibrary): library = shippedLibrary
    case .failure(let error):
      throw InputError("policies.unreadable", "cannot read the AWS managed policies compiled into iamsim: \(error.message)")
    }
    if let policy = library.policy(for: arn), policy.arn == arn {
      let document = try library.document(policy, kind: kind)
      Self.shippedLock.withLock { Self.shipped[key] = document }
      return document
    }
    guard let copy = lock.withLock({ exported[arn] }) else {
      throw library.notFound(arn, file: file, path: path, position: position)
    }
    lock.withLock { parsedExports[key] = copy }
    return copy
  }
}
