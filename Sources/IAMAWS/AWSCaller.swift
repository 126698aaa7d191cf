import IAMPolicy

/// How a service's operations travel over HTTP, as its botocore service model says (`metadata.protocol`).
public enum AWSProtocol: Sendable, Hashable {
  /// `json` (1.1): `POST /`, `X-Amz-Target: PREFIX.Operation`, a JSON body (Organizations, SSO Admin, Identity Store).
  case json(targetPrefix: String)
  /// `rest-json`: the operation's method and path, JSON bodies (account access manager, the SSO portal).
  case restJSON
  /// `query`: form-encoded `Action=…&Version=…` and an XML response (IAM, STS).
  case query(version: String)
}

/// A service: how to sign for it, where it is, how it speaks.
public struct AWSService: Sendable, Hashable {
  /// The SigV4 signing name (`organizations`, `sso`, `identitystore`, `iam`, `sts`, `account-access`).
  public var signingName: String
  /// The endpoint prefix (`organizations`, `sso`, `identitystore`, `iam`, `sts`, …).
  public var endpointPrefix: String
  public var wire: AWSProtocol
  /// Whether the service has one global endpoint (IAM; Organizations in us-east-1) rather than regional ones.
  public var isGlobal: Bool

  public init(signingName: String, endpointPrefix: String, wire: AWSProtocol, isGlobal: Bool = false) {
    self.signingName = signingName
    self.endpointPrefix = endpointPrefix
    self.wire = wire
    self.isGlobal = isGlobal
  }
}

/// One operation of a service.
public struct AWSOperation: Sendable, Hashable {
  public var service: AWSService
  /// The operation's name, as in the API Reference (`ListAccounts`).
  public var name: String
  /// For `rest-json`: the HTTP method and the path, with `{name}` placeholders filled from the input.
  public var method: String
  public var path: String
  /// For `rest-json`: the input members sent in the query string, each with its parameter name (the model's
  /// `"location": "querystring"` members; `roleName` → `role_name` for the SSO portal).
  public var queryMembers: [String: String]
  /// For `rest-json`: the input members sent as headers, each with its header name (`"location": "header"`).
  public var headerMembers: [String: String]
  /// Whether requests are signed with SigV4 (the SSO portal's `GetRoleCredentials` is not: its bearer token,
  /// a header member, authorizes it).
  public var isSigned: Bool

  public init(service: AWSService, name: String, method: String = "POST", path: String = "/",
              queryMembers: [String: String] = [:], headerMembers: [String: String] = [:], isSigned: Bool = true) {
    self.service = service
    self.name = name
    self.method = method
    self.path = path
    self.queryMembers = queryMembers
    self.headerMembers = headerMembers
    self.isSigned = isSigned
  }
}

/// Why a call failed after its retries: the AWS error code and message, or a transport failure. Never holds a
/// secret.
public struct AWSError: Error, Sendable, Hashable, CustomStringConvertible {
  /// AWS's error code (`AccessDeniedException`, `ExpiredTokenException`, …), or `Transport` or `Credentials`.
  /// ``AWSClient`` also uses `InvalidEndpoint` (a bad endpoint URL), `InvalidInput` (an input the protocol cannot
  /// send), `InvalidResponse` (a response that does not parse, a repeated page token), `NoRegion`, `NoPaginator`
  /// and `UnsupportedOperation` (a `query` operation whose response shape iamsim does not have).
  public var code: String
  public var message: String
  /// The HTTP status, when there was a response.
  public var status: Int?
  public var operation: String

  public init(code: String, message: String, status: Int? = nil, operation: String) {
    self.code = code
    self.message = message
    self.status = status
    self.operation = operation
  }

  public var description: String { "\(operation): \(code)\(status.map { " (HTTP \($0))" } ?? ""): \(message)" }
}

/// Something that calls AWS operations: the real client (`AWSClient`), or a fake in tests.
///
/// Inputs and outputs are JSON in the shapes of the API Reference and of the AWS CLI's `--output json` (for
/// `query` services, the XML response is turned into the JSON the AWS CLI prints, so that what `collect`
/// writes is what `iamsim import` reads from exports).
public protocol AWSCaller: Sendable {
  /// Calls one operation once (with the client's retries), in `region`.
  func call(_ operation: AWSOperation, input: JSONOutput, region: String) async throws(AWSError) -> JSONValue
}
