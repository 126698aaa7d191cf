/// Global condition keys AWS includes in every request, whose values only the request itself can tell: the time,
/// the Region called and the caller's IP address.
///
/// AWS's global condition keys page (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
/// says of `aws:CurrentTime`, `aws:EpochTime` and `aws:RequestedRegion`: "This key is always included in the request
/// context", and of `aws:SourceIp` that it is included "except when the requester uses a VPC endpoint" (a request
/// whose context holds `aws:SourceVpce` or `aws:SourceVpc` lacks it for that reason). A policy
/// that tests one of them cannot be decided without its value, so when the request's context lacks it, the
/// condition fails closed (an Allow does not apply, a Deny does) and the response says which key to give.
public enum RequestDependentKeys {
  /// The keys, as AWS spells them.
  public static let keys = ["aws:CurrentTime", "aws:EpochTime", "aws:RequestedRegion", "aws:SourceIp"]

  /// The keys, lower-cased.
  static let lowercased: Set<String> = Set(keys.map { $0.lowercased() })

  private static let sourceIP = ContextKey("aws:sourceip")
  private static let endpointKeys = [ContextKey("aws:sourcevpce"), ContextKey("aws:sourcevpc")]

  /// Whether the request says why the key is absent: `aws:SourceIp` is not sent for a request made through a VPC
  /// endpoint, which `aws:SourceVpce` or `aws:SourceVpc` in the context tells.
  static func absentForReason(_ key: ContextKey, in index: ContextIndex) -> Bool {
    key.text == sourceIP.text && endpointKeys.contains { index.entry($0) != nil }
  }

  /// What a response says of a missing one.
  static func missingMessage(_ key: String) -> String {
    "AWS sends `\(key)` with every request, and this request does not give its value (give it with --context or in the case file's `context`)"
  }
}
