/// An HTTP request as Signature Version 4 sees it: what is sent, before the `Authorization` header.
public struct SigV4Request: Sendable, Hashable {
  /// `GET`, `POST`, …
  public var method: String
  /// The path as sent on the wire (percent-encoded where it must be), without the query.
  public var path: String
  /// The query string as sent, without `?` (empty for none).
  public var query: String
  /// The headers to sign, names in any case, in the order given (repeated names are joined with commas).
  public var headers: [Header]
  /// The body.
  public var body: [UInt8]

  /// One header. In text (``description``, `dump`), the values of `X-Amz-Security-Token` and
  /// `x-amz-sso_bearer_token` are `<redacted>`.
  public struct Header: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
      self.name = name
      self.value = value
    }

    /// Whether the value is a secret (a session token or an SSO access token).
    public var isSecret: Bool { ["x-amz-security-token", "x-amz-sso_bearer_token"].contains(name.lowercased()) }

    public var description: String { "\(name): \(isSecret ? "<redacted>" : value)" }

    public var customMirror: Mirror {
      Mirror(self, children: ["name": name, "value": isSecret ? "<redacted>" : value], displayStyle: .struct)
    }
  }

  public init(method: String, path: String, query: String = "", headers: [Header], body: [UInt8] = []) {
    self.method = method
    self.path = path
    self.query = query
    self.headers = headers
    self.body = body
  }

  /// The value of the first header of that name (any case).
  public func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }
}
