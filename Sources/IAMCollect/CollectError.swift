import IAMAWS
import IAMPolicy

/// Why `collect` wrote nothing: AWS refused a call, answered what the importer cannot read, or the output
/// directory cannot be replaced. Never holds a secret.
public struct CollectError: Error, Sendable, CustomStringConvertible {
  /// What went wrong, in one or more lines.
  public var message: String
  /// The AWS error, when AWS refused a call (after the client's retries).
  public var aws: AWSError?

  /// Creates an error.
  public init(_ message: String, aws: AWSError? = nil) {
    self.message = message
    self.aws = aws
  }

  public var description: String { message }

  /// AWS error codes that mean the credentials themselves are refused: nothing else can be collected.
  static let credentialCodes: Set<String> = [
    "Credentials", "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "UnrecognizedClientException",
    "SignatureDoesNotMatch", "InvalidSignatureException", "IncompleteSignature", "MissingAuthenticationToken",
    "AuthFailure", "RequestExpired",
  ]

  /// The error for a call AWS refused: the operation with its IAM action, the code and the message; for
  /// credentials the client could not find or that expired, the client's message alone (it names the profile and
  /// what to do).
  static func refused(_ error: AWSError, _ operation: CollectOperation, context: String? = nil) -> CollectError {
    let at = context.map { " (\($0))" } ?? ""
    switch error.code {
    case "Credentials":
      return CollectError(error.message, aws: error)
    case "Transport":
      return CollectError("could not reach AWS for \(operation.operation.name)\(at): \(error.message)", aws: error)
    default:
      let status = error.status.map { " (HTTP \($0))" } ?? ""
      let hint = credentialCodes.contains(error.code) ? " (AWS refused the credentials: renew them, or name another profile with --profile)" : ""
      return CollectError("AWS refused \(operation.operation.name)\(at) [\(operation.action)]: \(error.code)\(status): \(error.message)\(hint)",
                          aws: error)
    }
  }

  /// The error for an AWS answer the importer does not read.
  static func unreadable(_ error: InputError) -> CollectError {
    CollectError("AWS answered what iamsim cannot read as an organization:\n\(error.description)")
  }
}
