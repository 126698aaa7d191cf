import IAMPolicy

/// One CloudTrail record, reduced to what access analysis needs.
///
/// The record names the API call (`eventSource`, `eventName`), not the IAM action: ``EventActionResolver`` turns one
/// into the other.
public struct CloudTrailEvent: Sendable, Hashable {
  /// The event source, such as `s3.amazonaws.com`.
  public var eventSource: String
  /// The event name, such as `GetObject` or `UpdateFunctionCode20150331v2`.
  public var eventName: String
  /// `AwsApiCall`, `AwsServiceEvent`, `AwsConsoleSignIn`, `AwsConsoleAction`, … (`nil` when the record has none).
  public var eventType: String?
  /// When it happened, as CloudTrail wrote it.
  public var eventTime: String
  /// The Region the request was made to.
  public var awsRegion: String?
  /// The caller's address, or the service that called on the caller's behalf.
  public var sourceIPAddress: String?
  /// The account the event was recorded in.
  public var account: String?
  /// The caller's ARN (`arn:aws:sts::…:assumed-role/ROLE/SESSION` for role sessions).
  public var callerARN: String?
  /// The ARN of the role a session was issued from, with its path.
  public var sessionIssuerARN: String?
  /// `userIdentity.sessionContext.attributes.mfaAuthenticated`, when the record has it.
  public var mfaAuthenticated: String?
  /// The error code when the call failed, such as `AccessDenied`.
  public var errorCode: String?
  /// The ARNs of the record's `resources` list.
  public var resourceARNs: [String]
  /// Every string of `requestParameters` that is an ARN (a few levels deep), in the order met.
  public var parameterARNs: [String]
  /// The names of `requestParameters`' top-level members.
  public var parameterNames: Set<String>
  /// `readOnly`, when the record has it.
  public var readOnly: Bool?
  /// Where the event was read from, for messages.
  public var source: String

  /// Creates an event; the parameters not given are absent from the record.
  public init(
    eventSource: String, eventName: String, eventType: String? = "AwsApiCall", eventTime: String = "",
    awsRegion: String? = nil, sourceIPAddress: String? = nil, account: String? = nil, callerARN: String? = nil,
    sessionIssuerARN: String? = nil, mfaAuthenticated: String? = nil, errorCode: String? = nil,
    resourceARNs: [String] = [], parameterARNs: [String] = [], parameterNames: Set<String> = [], readOnly: Bool? = nil,
    source: String = ""
  ) {
    self.eventSource = eventSource
    self.eventName = eventName
    self.eventType = eventType
    self.eventTime = eventTime
    self.awsRegion = awsRegion
    self.sourceIPAddress = sourceIPAddress
    self.account = account
    self.callerARN = callerARN
    self.sessionIssuerARN = sessionIssuerARN
    self.mfaAuthenticated = mfaAuthenticated
    self.errorCode = errorCode
    self.resourceARNs = resourceARNs
    self.parameterARNs = parameterARNs
    self.parameterNames = parameterNames
    self.readOnly = readOnly
    self.source = source
  }

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

  /// `eventSource eventName`, as messages name the event.
  public var label: String { "\(eventName) (\(eventSource))" }
}

extension CloudTrailEvent {
  /// Reads one CloudTrail record (the object CloudTrail writes per event).
  ///
  /// - Returns: `nil` when the object has no `eventSource` and `eventName` strings.
  static func read(_ record: JSONValue, source: String) -> CloudTrailEvent? {
    guard let eventSource = record["eventSource"]?.stringValue, let eventName = record["eventName"]?.stringValue else {
      return nil
    }
    let identity = record["userIdentity"]
    let parameters = record["requestParameters"]
    var parameterARNs: [String] = []
    if let parameters { collectARNs(parameters, depth: 0, into: &parameterARNs) }
    let readOnly: Bool? =
      switch record["readOnly"]?.kind {
      case .bool(let value)?: value
      case .string(let text)?: text == "true" ? true : (text == "false" ? false : nil)
      default: nil
      }
    return CloudTrailEvent(
      eventSource: eventSource, eventName: eventName, eventType: record["eventType"]?.stringValue,
      eventTime: record["eventTime"]?.stringValue ?? "", awsRegion: record["awsRegion"]?.stringValue,
      sourceIPAddress: record["sourceIPAddress"]?.stringValue,
      account: record["recipientAccountId"]?.stringValue ?? identity?["accountId"]?.stringValue,
      callerARN: identity?["arn"]?.stringValue,
      sessionIssuerARN: identity?["sessionContext"]?["sessionIssuer"]?["arn"]?.stringValue,
      mfaAuthenticated: identity?["sessionContext"]?["attributes"]?["mfaAuthenticated"]?.stringValue,
      errorCode: record["errorCode"]?.stringValue,
      resourceARNs: (record["resources"]?.elements ?? []).compactMap { $0["ARN"]?.stringValue },
      parameterARNs: parameterARNs, parameterNames: Set((parameters?.members ?? []).map(\.key)), readOnly: readOnly,
      source: source)
  }

  /// The ARN strings of a JSON value, depth first, at most four levels deep and 64 in all.
  private static func collectARNs(_ value: JSONValue, depth: Int, into found: inout [String]) {
    guard depth <= 4, found.count < 64 else { return }
    switch value.kind {
    case .string(let text) where text.hasPrefix("arn:") && text.utf8.count <= 2048:
      if !found.contains(text) { found.append(text) }
    case .array(let elements):
      for element in elements { collectARNs(element, depth: depth + 1, into: &found) }
    case .object(let members):
      for member in members { collectARNs(member.value, depth: depth + 1, into: &found) }
    default:
      break
    }
  }
}
