/// How many events of one kind were seen, and what was concluded about them.
public struct EventCount: Sendable, Hashable {
  public var eventSource: String
  public var eventName: String
  public var count: Int
  public var reason: String
  /// Whether the calls were refused for lack of permission.
  public var refused: Bool
}

/// One request observed in the trail, as the engine can replay it.
public struct ObservedRequest: Sendable, Hashable {
  /// The catalog action.
  public var action: String
  /// Whether the action was only possibly needed (see ``PossibleAction``).
  public var isPossible: Bool
  /// The ARNs the event names (its `resources`, the ARNs among its parameters), or the role passed.
  public var arns: [String]
  /// The session name of the caller.
  public var sessionName: String?
  /// The Region the request went to.
  public var region: String?
  /// The caller's address, as CloudTrail recorded it.
  public var sourceIPAddress: String?
  /// When it happened.
  public var eventTime: String
  /// `mfaAuthenticated` of the session.
  public var mfaAuthenticated: String?
  /// The event, for messages.
  public var event: String
}

/// The calls made through one permission set in one account, from CloudTrail.
public struct PermissionSetActivity: Sendable, Hashable {
  /// The permission set's name, from its `AWSReservedSSO_` role.
  public var permissionSet: String
  /// The account.
  public var account: String
  /// The `AWSReservedSSO_` role's ARN with its path, as CloudTrail recorded the session issuer.
  public var roleARN: String?
  /// The catalog actions that successful calls needed.
  public var usedActions: Set<String>
  /// Catalog actions that successful calls may have needed, with the reasons.
  public var possibleActions: [PossibleAction]
  /// The actions (or, when undetermined, the events) refused with an access error.
  public var deniedActions: Set<String>
  /// Events that need nothing from the caller's policies.
  public var noPermissionEvents: [EventCount]
  /// Events whose IAM action could not be determined.
  public var undeterminedEvents: [EventCount]
  /// The distinct requests observed (action, resources, session, Region, address), for the engine to replay.
  public var requests: [ObservedRequest]
  /// The users (session names) seen.
  public var users: Set<String>
  /// How many events were attributed.
  public var eventCount: Int
  /// The earliest and latest event times.
  public var firstEventTime: String?
  public var lastEventTime: String?

  /// An activity with nothing recorded yet.
  public init(permissionSet: String, account: String, roleARN: String? = nil) {
    self.permissionSet = permissionSet
    self.account = account
    self.roleARN = roleARN
    usedActions = []
    possibleActions = []
    deniedActions = []
    noPermissionEvents = []
    undeterminedEvents = []
    requests = []
    users = []
    eventCount = 0
  }

  /// At most this many distinct requests are kept per permission set and account.
  public static let requestLimit = 5_000

  /// Groups events by permission set and account, resolving each event's actions; events of other callers are
  /// left out.
  ///
  /// - Complexity: O(n) in the number of events.
  public static func group(_ events: [CloudTrailEvent], resolver: EventActionResolver) -> [PermissionSetActivity] {
    var byKey: [String: Builder] = [:]
    for event in events {
      guard let name = event.permissionSetName, let account = event.account else { continue }
      let key = account + "/" + name
      let builder = byKey[key] ?? Builder(permissionSet: name, account: account)
      builder.add(event, resolver.resolve(event))
      byKey[key] = builder
    }
    return byKey.values.map { $0.activity }.sorted { ($0.account, $0.permissionSet) < ($1.account, $1.permissionSet) }
  }

  /// Accumulates one permission set's events.
  private final class Builder {
    var activity: PermissionSetActivity
    var counts: [String: EventCount] = [:]
    var countOrder: [String] = []
    var noPermissionKeys: Set<String> = []
    var seenRequests: Set<ObservedRequest> = []

    init(permissionSet: String, account: String) {
      activity = PermissionSetActivity(permissionSet: permissionSet, account: account)
    }

    func add(_ event: CloudTrailEvent, _ resolution: EventResolution) {
      activity.eventCount += 1
      if activity.roleARN == nil, let issuer = event.sessionIssuerARN { activity.roleARN = issuer }
      if let user = event.sessionName { activity.users.insert(user) }
      if !event.eventTime.isEmpty {
        if activity.firstEventTime.map({ event.eventTime < $0 }) ?? true { activity.firstEventTime = event.eventTime }
        if activity.lastEventTime.map({ event.eventTime > $0 }) ?? true { activity.lastEventTime = event.eventTime }
      }
      switch resolution {
      case .actions(let required, let possible, _):
        if event.wasDenied {
          activity.deniedActions.formUnion(required)
          return
        }
        activity.usedActions.formUnion(required)
        for action in possible where !activity.possibleActions.contains(action) { activity.possibleActions.append(action) }
        for action in required { record(event, action: action, isPossible: false, arns: event.resourceARNs + event.parameterARNs) }
        for action in possible {
          record(event, action: action.action, isPossible: true, arns: action.resource.map { [$0] } ?? event.resourceARNs)
        }
      case .noPermission(let reason):
        count(event, reason: reason, noPermission: true)
      case .undetermined(let reason):
        if event.wasDenied { activity.deniedActions.insert(event.label) }
        count(event, reason: reason, noPermission: false)
      }
      activity.noPermissionEvents = countOrder.filter { noPermissionKeys.contains($0) }.compactMap { counts[$0] }
      activity.undeterminedEvents = countOrder.filter { !noPermissionKeys.contains($0) }.compactMap { counts[$0] }
    }

    private func count(_ event: CloudTrailEvent, reason: String, noPermission: Bool) {
      let key = event.eventSource + " " + event.eventName + (event.wasDenied ? " refused" : "")
      if var existing = counts[key] {
        existing.count += 1
        counts[key] = existing
      } else {
        counts[key] = EventCount(eventSource: event.eventSource, eventName: event.eventName, count: 1, reason: reason,
                                 refused: event.wasDenied)
        countOrder.append(key)
        if noPermission { noPermissionKeys.insert(key) }
      }
    }

    private func record(_ event: CloudTrailEvent, action: String, isPossible: Bool, arns: [String]) {
      guard activity.requests.count < PermissionSetActivity.requestLimit else { return }
      let request = ObservedRequest(
        action: action, isPossible: isPossible, arns: arns, sessionName: event.sessionName, region: event.awsRegion,
        sourceIPAddress: event.sourceIPAddress, eventTime: "", mfaAuthenticated: event.mfaAuthenticated, event: event.label)
      guard seenRequests.insert(request).inserted else { return }
      var kept = request
      kept.eventTime = event.eventTime
      activity.requests.append(kept)
    }
  }
}
