/// AWS credentials: an access key ID, its secret, and a session token for temporary ones.
///
/// The secret and the token never leave this value in text: ``description``, ``debugDescription`` and the mirror
/// (`dump`, `String(reflecting:)`) show the access key ID and `<redacted>` in their place.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  public var accessKeyId: String
  public var secretAccessKey: String
  public var sessionToken: String?
  /// When temporary credentials stop working; `nil` for long-term keys.
  public var expiration: UTCTime?
  /// Where they came from (`environment`, `profile dev (credentials file)`, `sso`, …), for messages.
  public var source: String

  public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: UTCTime? = nil,
              source: String = "") {
    self.accessKeyId = accessKeyId
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
    self.expiration = expiration
    self.source = source
  }

  /// Whether they expire within `margin` seconds of `now`.
  public func expires(within margin: Double, of now: UTCTime) -> Bool {
    guard let expiration else { return false }
    return expiration.secondsSince1970 - now.secondsSince1970 < margin
  }

  public var description: String {
    var text = "AWSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>"
    if sessionToken != nil { text += ", sessionToken: <redacted>" }
    if let expiration { text += ", expiration: \(expiration)" }
    if !source.isEmpty { text += ", source: \(source)" }
    return text + ")"
  }

  public var debugDescription: String { description }

  public var customMirror: Mirror {
    Mirror(self, children: [
      "accessKeyId": accessKeyId, "secretAccessKey": "<redacted>", "sessionToken": sessionToken == nil ? "nil" : "<redacted>",
      "expiration": expiration.map(\.description) ?? "nil", "source": source,
    ], displayStyle: .struct)
  }
}
