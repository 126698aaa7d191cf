import Foundation
import IAMPolicy

/// The AWS managed policies compiled into iamsim, as policy documents, with input errors that name the closest policies.
extension ManagedPolicyLibrary {
  /// The shipped library, or an input error saying why it cannot be read.
  public static func loadShipped() throws(InputError) -> ManagedPolicyLibrary {
    do {
      return try ManagedPolicyLibrary.shipped()
    } catch {
      throw InputError("policies.unreadable", "cannot read the AWS managed policies compiled into iamsim: \(error.message)")
    }
  }

  /// The policy with this ARN or name, if any.
  public func entry(for reference: String) -> ManagedPolicy? {
    policy(for: reference)
  }

  /// A policy's document, read for the given role.
  public func document(_ policy: ManagedPolicy, kind: PolicyKind) throws(InputError) -> PolicyDocument {
    let bytes: [UInt8]
    do {
      bytes = try document(policy)
    } catch {
      throw InputError("policies.unreadable", error.message)
    }
    return try PolicyDocument(parsing: bytes, name: policy.arn, kind: kind, file: policy.arn, isAWSManaged: true)
  }

  /// The error for a reference that names no AWS managed policy, with the closest real names.
  public func notFound(
    _ reference: String, orFile: Bool = false, file: String? = nil, path: JSONPath = .root, position: SourcePosition? = nil
  ) -> InputError {
    // An ARN gets ARNs back, since a wrong path (`policy/ViewOnlyAccess` for `policy/job-function/…`) is a common slip.
    let isARN = reference.lowercased().hasPrefix(ManagedPolicyLibrary.arnPrefix)
    let suggestions = suggestions(for: reference).map { isARN ? (policy(for: $0)?.arn ?? $0) : $0 }
    let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.map { "`\($0)`" }.joined(separator: ", "))?"
    let what = orFile ? "neither a file nor an AWS managed policy" : "not an AWS managed policy"
    let message = "`\(reference)` is \(what) (\(info.count) shipped, \(info.dataDate))\(hint)"
    return InputError("policies.unknown", message, file: file, path: path, position: position)
  }
}
