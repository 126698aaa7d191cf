import IAMPolicy

/// One CloudTrail management event, reduced to what access analysis needs.
public struct CloudTrailEvent: Sendable, Hashable {
  /// The IAM action the event records, `service:Action`, as the catalog spells it when known.
  public var action: String
  /// The event source, such as `s3.amazonaws.com`.
  public var eventSource: String
  /// The event name, such as `GetObject`.
  public var eventName: String
  /// When it happened, as CloudTrail wrote it.
  public var eventTime: String
  /// The account the event was recorded in.
  public var account: String?
  /// The caller's ARN (`arn:aws:sts::…:assumed-role/ROLE/SESSION` for role sessions).
  public var callerARN: String?
  /// The ARN of the role a session was issued from, with its path.
  public var sessionIssuerARN: String?
  /// The error code when the call failed, such as `AccessDenied`.
  public var errorCode: String?
  /// Where the event was read from, for messages.
  public var source: String

  /// Whether the call was refused for lack of permission (such events show missing, not used, access).
  public var wasDenied: Bool {
    guard let errorCode else { return false }
    return errorCode.contains("AccessDenied") || errorCode.contains("Unauthorized") || errorCode == "Client.UnauthorizedOperation"
  }

  /// The Identity Center permission set behind the caller, from its `AWSReservedSSO_NAME_SUFFIX` role, if any.
  public var permissionSetName: String? {
    guard let arn = sessionIssuerARN ?? callerARN, arn.contains("AWSReservedSSO_"),
      let roleName = arn.split(separator: "/").first(where: { $0.hasPrefix("AWSReservedSSO_") })
    else { return nil }
    let rest = roleName.dropFirst("AWSReservedSSO_".count)
    guard let lastUnderscore = rest.lastIndex(of: "_") else { return nil }
    return String(rest[..<lastUnderscore])
  }

  /// The session name (the Identity Center user name) of a role session.
  public var sessionName: String? {
    guard let callerARN, callerARN.contains(":assumed-role/") else { return nil }
    return callerARN.split(separator: "/").last.map(String.init)
  }
}

extension CloudTrailEvent {
  /// Reads one CloudTrail record (the object CloudTrail writes per event).
  ///
  /// - Returns: `nil` for records that are not API calls an IAM action authorizes.
  static func read(_ record: JSONValue, source: String) -> CloudTrailEvent? {
    guard let eventSource = record["eventSource"]?.stringValue, let eventName = record["eventName"]?.stringValue else {
      return nil
    }
    let identity = record["userIdentity"]
    return CloudTrailEvent(
      action: EventSources.prefix(for: eventSource) + ":" + eventName, eventSource: eventSource, eventName: eventName,
      eventTime: record["eventTime"]?.stringValue ?? "",
      account: record["recipientAccountId"]?.stringValue ?? identity?["accountId"]?.stringValue,
      callerARN: identity?["arn"]?.stringValue,
      sessionIssuerARN: identity?["sessionContext"]?["sessionIssuer"]?["arn"]?.stringValue,
      errorCode: record["errorCode"]?.stringValue, source: source)
  }
}

/// Maps CloudTrail event sources to IAM service prefixes.
enum EventSources {
  /// Event sources whose subdomain is not the IAM service prefix.
  static let exceptions = ["monitoring": "cloudwatch", "email": "ses"]

  /// The IAM service prefix of an event source such as `s3.amazonaws.com`.
  static func prefix(for eventSource: String) -> String {
    let subdomain = String(eventSource.split(separator: ".").first ?? Substring(eventSource))
    return exceptions[subdomain] ?? subdomain
  }
}
