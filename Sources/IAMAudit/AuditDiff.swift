import IAMCatalog

/// What changes between the audits of an old and a new version of a subject: the offline answer to
/// "does this change grant new access?".
public struct AuditDiff: Sendable {
  /// An action whose grant changes.
  public struct Change: Sendable, Hashable {
    /// How it changes.
    public enum Kind: String, Sendable, Hashable {
      /// Newly allowed.
      case added
      /// No longer allowed.
      case removed
      /// Allowed before, and now more widely: without conditions, on all resources, or on resource patterns it was
      /// not allowed on.
      case widened
      /// Allowed before and still, but less widely.
      case narrowed
    }

    public var kind: Kind
    /// `service:Action`, spelled as in the catalog.
    public var action: String
    public var service: String
    public var accessLevel: AccessLevel
    /// The grant before, if any.
    public var old: GrantedAction?
    /// The grant after, if any.
    public var new: GrantedAction?

    init(kind: Kind, grant: GrantedAction, old: GrantedAction?, new: GrantedAction?) {
      self.kind = kind
      action = grant.action
      service = grant.service
      accessLevel = grant.accessLevel
      self.old = old
      self.new = new
    }

    /// Whether the change gives access the old version did not.
    public var isNewAccess: Bool { kind == .added || kind == .widened }
  }

  /// The subject compared (the new name when both are given).
  public var subject: String
  /// Every change, in catalog order.
  public var changes: [Change]

  /// Compares two audits of the same subject; a missing side grants nothing.
  public init(old: AuditReport?, new: AuditReport?) {
    subject = new?.subject.name ?? old?.subject.name ?? ""
    let before = Dictionary((old?.granted ?? []).map { ($0.action, $0) }, uniquingKeysWith: { first, _ in first })
    let after = Dictionary((new?.granted ?? []).map { ($0.action, $0) }, uniquingKeysWith: { first, _ in first })
    var changes: [Change] = []
    for grant in new?.granted ?? [] {
      guard let previous = before[grant.action] else {
        changes.append(Change(kind: .added, grant: grant, old: nil, new: grant))
        continue
      }
      let newPatterns = !grant.allResources && !Set(grant.resources).isSubset(of: previous.resources)
      let lostPatterns = !previous.allResources && !Set(previous.resources).isSubset(of: grant.resources)
      let wider =
        (previous.conditional && !grant.conditional) || (!previous.allResources && grant.allResources)
        || (!previous.allResources && newPatterns)
      let narrower =
        (!previous.conditional && grant.conditional) || (previous.allResources && !grant.allResources)
        || (!grant.allResources && lostPatterns)
      if wider || narrower {
        changes.append(Change(kind: wider ? .widened : .narrowed, grant: grant, old: previous, new: grant))
      }
    }
    for grant in old?.granted ?? [] where after[grant.action] == nil {
      changes.append(Change(kind: .removed, grant: grant, old: grant, new: nil))
    }
    self.changes = changes.sorted { ($0.service, $0.action.lowercased()) < ($1.service, $1.action.lowercased()) }
  }

  /// The changes of one kind.
  public func changes(_ kind: Change.Kind) -> [Change] { changes.filter { $0.kind == kind } }

  /// The changes that give new access: added and widened.
  public var newAccess: [Change] { changes.filter(\.isNewAccess) }
}
