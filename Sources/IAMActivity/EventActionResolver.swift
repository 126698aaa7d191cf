import IAMCatalog

/// What a CloudTrail event says about the permissions its caller used.
public enum EventResolution: Sendable, Hashable {
  /// The call needed these catalog actions (`required`), and may have needed `possible` as well, for the reason
  /// given with each (request content CloudTrail does not record, a role passed to the service).
  case actions(required: [String], possible: [PossibleAction], rule: String)
  /// The call needs nothing from the caller's identity policies (a sign-in, a call no policy controls, a call made
  /// without AWS credentials, an event AWS itself generated).
  case noPermission(reason: String)
  /// The IAM action could not be determined; the event is reported, never guessed.
  case undetermined(reason: String)
}

/// An action an event may have needed, and why.
public struct PossibleAction: Sendable, Hashable {
  public var action: String
  public var reason: String
  /// The resource the action would have applied to, when the event names it (the role passed).
  public var resource: String?

  public init(action: String, reason: String, resource: String? = nil) {
    self.action = action
    self.reason = reason
    self.resource = resource
  }
}

/// Turns CloudTrail events into the IAM actions they needed: ``EventActionTable``'s exceptions first, then what the
/// shipped catalog confirms. Nothing is guessed: an event whose action the catalog does not confirm is undetermined.
public struct EventActionResolver: Sendable {
  /// The catalog the actions must belong to.
  public let catalog: Catalog

  public init(catalog: Catalog) {
    self.catalog = catalog
  }

  /// The IAM service prefix of an event source, when the catalog has that service.
  public func servicePrefix(of eventSource: String) -> String? {
    if let exception = EventActionTable.servicePrefixes.first(where: { $0.eventSource == eventSource }) {
      return exception.prefix
    }
    guard eventSource.hasSuffix(".amazonaws.com") else { return nil }
    let host = eventSource.dropLast(".amazonaws.com".count)
    // Only a single label is a service's own endpoint name (`runtime.sagemaker` is not a prefix).
    guard !host.isEmpty, !host.contains("."), let service = catalog.service(prefix: String(host)) else { return nil }
    return service.prefix
  }

  /// What one event needed.
  public func resolve(_ event: CloudTrailEvent) -> EventResolution {
    switch event.eventType {
    case "AwsConsoleSignIn"?:
      return .noPermission(reason: "a console sign-in event: authentication, which no IAM action authorizes")
    case "AwsServiceEvent"?:
      return .noPermission(reason: "an event AWS generated, not a call the caller made")
    case "AwsCloudTrailInsight"?:
      return .noPermission(reason: "a CloudTrail Insights event, not a call")
    case "AwsConsoleAction"?:
      return .undetermined(reason: "a console action that is not an API call; AWS documents no IAM action for it")
    default:
      break
    }
    var resolution = resolveName(eventSource: event.eventSource, eventName: event.eventName,
                                 parameterNames: event.parameterNames)
    // A role ARN in a write request's parameters is passed to the service, which checks iam:PassRole; CloudTrail
    // records no event of its own for that check (IAM User Guide, "Grant a user permissions to pass a role to an
    // AWS service"). IAM's and STS's own calls name roles without passing them.
    if case .actions(let required, var possible, let rule) = resolution, event.readOnly != true,
      event.eventSource != "iam.amazonaws.com", event.eventSource != "sts.amazonaws.com"
    {
      for arn in event.parameterARNs where Self.isRoleARN(arn) && !possible.contains(where: { $0.resource == arn }) {
        possible.append(PossibleAction(action: "iam:PassRole", reason: "the request passed the role \(arn)", resource: arn))
      }
      resolution = .actions(required: required, possible: possible, rule: rule)
    }
    return resolution
  }

  /// What a call of this name needs, from the table and the catalog.
  public func resolveName(eventSource: String, eventName: String, parameterNames: Set<String> = []) -> EventResolution {
    let entry = EventActionTable.index[eventSource + " " + eventName]
      ?? Self.withoutAPIVersion(eventName).flatMap { EventActionTable.index[eventSource + " " + $0] }
    if let entry {
      switch entry.outcome {
      case .noPermission(let reason):
        return .noPermission(reason: reason)
      case .actions(var actions):
        if let variant = entry.whenParameter, parameterNames.contains(variant.name) { actions = variant.actions }
        let canonical = actions.compactMap { catalog.action(named: $0)?.qualifiedName }
        guard canonical.count == actions.count, !canonical.isEmpty else {
          return .undetermined(reason: "the mapping names actions the catalog does not have: \(actions.joined(separator: ", "))")
        }
        let applies = entry.mayAlsoNeedWhen.map { parameterNames.contains($0) } ?? true
        let mayAlsoNeed = applies ? entry.mayAlsoNeed : []
        let possible = mayAlsoNeed.compactMap { catalog.action(named: $0)?.qualifiedName }.map {
          PossibleAction(action: $0, reason: entry.mayAlsoNeedWhen.map { "the request names \($0)" }
            ?? "\(eventName) may need it, depending on request content CloudTrail does not record")
        }
        return .actions(required: canonical, possible: possible, rule: "mapping (\(entry.reference.rawValue))")
      }
    }
    guard let prefix = servicePrefix(of: eventSource) else {
      return .undetermined(reason: "the event source \(eventSource) is no service of the catalog")
    }
    if let action = catalog.action(named: prefix + ":" + eventName) {
      return .actions(required: [action.qualifiedName], possible: [], rule: "event name")
    }
    if let stripped = Self.withoutAPIVersion(eventName), let action = catalog.action(named: prefix + ":" + stripped) {
      return .actions(required: [action.qualifiedName], possible: [], rule: "event name without its API version")
    }
    return .undetermined(reason: "\(prefix):\(eventName) is no action of the catalog, and no mapping names one")
  }

  /// The name without a trailing API version: `20150331` or `20150331v2` (Lambda), `2020_05_31` (CloudFront).
  /// `nil` when the name has no such suffix or nothing before it.
  public static func withoutAPIVersion(_ name: String) -> String? {
    let scalars = Array(name.unicodeScalars)
    var end = scalars.count
    func isDigit(_ index: Int) -> Bool { index >= 0 && index < scalars.count && ("0"..."9").contains(scalars[index]) }
    // `v2`, `v10`: a revision after the date.
    var cursor = end - 1
    while isDigit(cursor) { cursor -= 1 }
    if cursor >= 0, cursor < end - 1, scalars[cursor] == "v" { end = cursor }
    // Eight digits: YYYYMMDD.
    if end >= 9, (end - 8..<end).allSatisfy(isDigit), !isDigit(end - 9) {
      return String(String.UnicodeScalarView(scalars[..<(end - 8)]))
    }
    // YYYY_MM_DD, with nothing after it.
    let pattern: [Bool?] = [true, true, true, true, nil, true, true, nil, true, true]
    let count = scalars.count
    if count >= 11 {
      let start = count - 10
      let fits = pattern.enumerated().allSatisfy { offset, digit in
        digit == nil ? scalars[start + offset] == "_" : isDigit(start + offset)
      }
      if fits && !isDigit(start - 1) { return String(String.UnicodeScalarView(scalars[..<start])) }
    }
    return nil
  }

  /// Whether the text is an IAM role ARN.
  static func isRoleARN(_ text: String) -> Bool {
    let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    return parts.count == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[5].hasPrefix("role/")
  }
}
