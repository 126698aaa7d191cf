/// The caller of a request: an IAM user, a role session, or an account's root user.
///
/// Built from an ARN; the keys AWS derives from the caller (`aws:PrincipalArn`, `aws:userid`, …)
/// come from ``derivedContext`` (rules V-8, F-2).
public struct Principal: Sendable, Hashable {
  /// What kind of caller this is.
  public enum Kind: String, Sendable, Hashable {
    case user = "User"
    case roleSession = "AssumedRole"
    case federatedUser = "FederatedUser"
    case root = "Account"
    /// A caller that signs nothing: an anonymous (public) request.
    case anonymous = "Anonymous"
  }

  /// The unique-ID placeholder iamsim uses for roles, since an ARN does not carry the real one.
  public static let placeholderRoleID = "AROAEXAMPLEROLEID"
  /// The unique-ID placeholder iamsim uses for IAM users.
  public static let placeholderUserID = "AIDAEXAMPLEUSERID"
  /// The session name used when a bare role ARN is given as the caller.
  public static let defaultSessionName = "iamsim"
  /// The Identity Center region segment assumed for `AWSReservedSSO_` roles named only by a session ARN.
  public static let defaultIdentityCenterRegion = "eu-west-1"

  /// The spec's default caller: an Identity Center session of account 111122223333.
  public static let defaultSession: Principal = {
    guard
      case .success(let principal) = Principal.parse(
        "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/alice@example.com")
    else { preconditionFailure("the default principal ARN is valid") }
    return principal
  }()

  /// A caller that signs nothing. It has no account and no ARN: only a resource-based policy whose `Principal` is
  /// `"*"` (or `{"AWS": "*"}`) can allow it ("For resource-based policies, using a wildcard (*) with an Allow effect
  /// grants access to all users, including anonymous users (public access)."), and AWS derives none of the keys of
  /// a signed caller: of `aws:PrincipalArn` and `aws:userid`, "Anonymous requests do not include this key."
  public static let anonymous = Principal(arn: "anonymous", kind: .anonymous, account: "")

  /// The parts of a principal, held once and shared by its copies until one is changed: every request carries its
  /// principal, and copying six strings and an array cost more than deciding some requests.
  private final class Storage: @unchecked Sendable {
    // Changed only through a `Principal` that holds the only reference (`writable`), so never while shared.
    var arn: String
    var kind: Kind
    var account: String
    var roleARN: String? {
      didSet { isServiceLinkedRole = Principal.isServiceLinkedRole(roleARN) }
    }
    /// Whether `roleARN` is a service-linked role's, worked out once: every request asks.
    private(set) var isServiceLinkedRole: Bool
    var sessionName: String?
    var userName: String?
    var tags: [(key: String, value: String)]

    init(arn: String, kind: Kind, account: String, roleARN: String?, sessionName: String?, userName: String?,
         tags: [(key: String, value: String)]) {
      self.arn = arn
      self.kind = kind
      self.account = account
      self.roleARN = roleARN
      isServiceLinkedRole = Principal.isServiceLinkedRole(roleARN)
      self.sessionName = sessionName
      self.userName = userName
      self.tags = tags
    }

    func copy() -> Storage {
      Storage(arn: arn, kind: kind, account: account, roleARN: roleARN, sessionName: sessionName, userName: userName,
              tags: tags)
    }

    /// A copy whose strings have buffers of their own.
    func unsharedCopy() -> Storage {
      Storage(
        arn: arn.unshared, kind: kind, account: account.unshared, roleARN: roleARN?.unshared,
        sessionName: sessionName?.unshared, userName: userName?.unshared,
        tags: tags.map { (key: $0.key.unshared, value: $0.value.unshared) })
    }
  }

  private var storage: Storage

  init(arn: String, kind: Kind, account: String, roleARN: String? = nil, sessionName: String? = nil,
       userName: String? = nil, tags: [(key: String, value: String)] = []) {
    storage = Storage(arn: arn, kind: kind, account: account, roleARN: roleARN, sessionName: sessionName,
                      userName: userName, tags: tags)
  }

  /// Whether two principals share one storage, and so are the same principal.
  func isSameStorage(as other: Principal) -> Bool { storage === other.storage }

  /// The same principal, sharing no object with this one (see ``Authorizer/unsharedCopy()``).
  public func unsharedCopy() -> Principal {
    var copy = self
    copy.storage = storage.unsharedCopy()
    return copy
  }

  /// The storage, copied first if another principal shares it.
  private var writable: Storage {
    mutating get {
      if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
      return storage
    }
  }

  /// The caller's own ARN: the user, the session, or the root ARN (`anonymous` for an anonymous caller).
  public var arn: String {
    get { storage.arn }
    set { writable.arn = newValue }
  }
  /// The kind of caller.
  public var kind: Kind {
    get { storage.kind }
    set { writable.kind = newValue }
  }
  /// The caller's account.
  public var account: String {
    get { storage.account }
    set { writable.account = newValue }
  }
  /// For sessions, the role's ARN including its path: the value of `aws:PrincipalArn`.
  public var roleARN: String? {
    get { storage.roleARN }
    set { writable.roleARN = newValue }
  }
  /// For sessions, the session name.
  public var sessionName: String? {
    get { storage.sessionName }
    set { writable.sessionName = newValue }
  }
  /// For users, the user name.
  public var userName: String? {
    get { storage.userName }
    set { writable.userName = newValue }
  }
  /// Principal tags and session tags, key case preserved; keys are unique regardless of case.
  public var tags: [(key: String, value: String)] {
    get { storage.tags }
    _modify { yield &writable.tags }
  }

  public static func == (lhs: Principal, rhs: Principal) -> Bool {
    lhs.arn == rhs.arn && lhs.roleARN == rhs.roleARN && lhs.tags.map(\.key) == rhs.tags.map(\.key)
      && lhs.tags.map(\.value) == rhs.tags.map(\.value)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(arn)
    hasher.combine(roleARN)
  }

  /// The principal ARN AWS matches `Principal` role values against: the role ARN or the caller's ARN.
  public var principalARN: String { roleARN ?? arn }

  /// Whether this is a session of a service-linked role (path `/aws-service-role/`), which SCPs do not affect.
  public var isServiceLinkedRole: Bool { storage.isServiceLinkedRole }

  /// Whether a role ARN has the path of service-linked roles (`/aws-service-role/`).
  private static func isServiceLinkedRole(_ roleARN: String?) -> Bool {
    guard var roleARN else { return false }
    // ASCII text: a byte search, the same answer as the Character-based `contains` at a fraction of its cost.
    // Other text keeps the Character-based search (a combining mark after `/` makes a different character).
    let found = roleARN.withUTF8 { bytes -> Bool? in
      var any: UInt8 = 0
      for byte in bytes { any |= byte }
      if any >= 0x80 { return nil }
      let needle: StaticString = ":role/aws-service-role/"
      let count = needle.utf8CodeUnitCount
      guard bytes.count >= count else { return false }
      return needle.withUTF8Buffer { needle in
        for start in 0...(bytes.count - count) where bytes[start] == UInt8(ascii: ":") {
          var offset = 1
          while offset < count && bytes[start + offset] == needle[offset] { offset += 1 }
          if offset == count { return true }
        }
        return false
      }
    }
    return found ?? roleARN.contains(":role/aws-service-role/")
  }

  /// Reads a caller ARN: `…:iam::ACCOUNT:user/…`, `…:iam::ACCOUNT:role/…`,
  /// `…:sts::ACCOUNT:assumed-role/ROLE/SESSION`, `…:sts::ACCOUNT:federated-user/NAME` or `…:iam::ACCOUNT:root`.
  public static func parse(_ text: String) -> Result<Principal, PrincipalError> {
    guard let arn = ARN(text), arn.account.count == 12, arn.account.allSatisfy({ $0.isASCII && $0.isNumber }) else {
      return .failure(PrincipalError(message: "`\(text)` is not a principal ARN with a 12-digit account"))
    }
    let parts = arn.resource.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    switch (arn.service, parts.first) {
    case ("iam", "root") where parts.count == 1:
      return .success(Principal(arn: text, kind: .root, account: arn.account))
    case ("iam", "user") where parts.count >= 2 && !parts.last!.isEmpty:
      return .success(Principal(arn: text, kind: .user, account: arn.account, userName: parts.last))
    case ("iam", "role") where parts.count >= 2 && !parts.last!.isEmpty:
      let roleName = parts.last!
      let session = "arn:\(arn.partition):sts::\(arn.account):assumed-role/\(roleName)/\(defaultSessionName)"
      return .success(
        Principal(arn: session, kind: .roleSession, account: arn.account, roleARN: text, sessionName: defaultSessionName))
    case ("sts", "assumed-role") where parts.count == 3 && !parts[1].isEmpty && !parts[2].isEmpty:
      let roleName = parts[1]
      let path =
        roleName.hasPrefix("AWSReservedSSO_") ? "aws-reserved/sso.amazonaws.com/\(defaultIdentityCenterRegion)/" : ""
      let role = "arn:\(arn.partition):iam::\(arn.account):role/\(path)\(roleName)"
      return .success(Principal(arn: text, kind: .roleSession, account: arn.account, roleARN: role, sessionName: parts[2]))
    case ("sts", "federated-user") where parts.count == 2 && !parts[1].isEmpty:
      return .success(Principal(arn: text, kind: .federatedUser, account: arn.account, sessionName: parts[1]))
    default:
      return .failure(PrincipalError(
        message: "`\(text)` is not an IAM user, IAM role, assumed-role session, federated-user or root ARN"))
    }
  }

  /// The unique ID AWS puts first in `aws:userid`.
  public var uniqueID: String {
    switch kind {
    case .user: Principal.placeholderUserID
    case .roleSession: Principal.placeholderRoleID
    case .federatedUser, .root, .anonymous: account
    }
  }

  /// The keys AWS derives from the caller: `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`,
  /// `aws:userid`, `aws:username` (IAM users only), `aws:PrincipalTag/*`, and `aws:TokenIssueTime` for
  /// temporary credentials; and the keys AWS sends with every request that iamsim can know for a direct call:
  /// `aws:PrincipalIsAWSService` (`false`), `aws:ViaAWSService` (`false`) and `aws:SecureTransport` (`true`).
  public var derivedContext: RequestContext {
    var context = RequestContext()
    addDerivedKeys(to: &context)
    return context
  }

  /// Adds the keys AWS derives from the caller to a context, leaving alone the keys it already has
  /// (regardless of case): `derivedContext.merging(context)` without building the derived context first.
  func addDerivedKeys(to context: inout RequestContext) {
    typealias Key = DerivedContextKeys
    if kind == .anonymous {
      // An unsigned request carries none of the keys AWS derives from credentials (fail closed: a condition that
      // reads one finds it absent); what describes the connection stays.
      context.setIfAbsent(Key.notViaAWSService)
      context.setIfAbsent(Key.overTLS)
      return
    }
    context.reserveCapacity(adding: 9 + tags.count)
    context.setIfAbsent(ContextEntry(key: "aws:PrincipalArn", value: principalARN))
    context.setIfAbsent(ContextEntry(key: "aws:PrincipalAccount", value: account))
    context.setIfAbsent(Key.principalType(kind))
    // "The context key is set to false if the service uses the credentials of an IAM principal to make a request on
    // the principal's behalf"; present "for all signed API requests that use AWS credentials".
    context.setIfAbsent(Key.principalIsNotAWSService)
    // Always present, "false when the principal makes the call directly": iamsim's requests are direct calls unless
    // the context says otherwise.
    context.setIfAbsent(Key.notViaAWSService)
    // Always present; iamsim's requests are made over TLS, as AWS's SDKs and CLI make them, unless the context says
    // otherwise.
    context.setIfAbsent(Key.overTLS)
    switch kind {
    case .user:
      context.setIfAbsent("aws:userid", lowercased: "aws:userid", uniqueID)
      if let userName { context.setIfAbsent("aws:username", lowercased: "aws:username", userName) }
    case .roleSession:
      context.setIfAbsent("aws:userid", lowercased: "aws:userid", "\(uniqueID):\(sessionName ?? "")")
      context.setIfAbsent(Key.assumedTokenIssueTime)
    case .federatedUser:
      context.setIfAbsent("aws:userid", lowercased: "aws:userid", "\(account):\(sessionName ?? "")")
      context.setIfAbsent(Key.assumedTokenIssueTime)
    case .root:
      context.setIfAbsent("aws:userid", lowercased: "aws:userid", account)
    case .anonymous:
      break
    }
    // In reverse, so that of two tags whose keys differ only in case the later one wins, as with `set`.
    for tag in tags.reversed() {
      let key = "aws:PrincipalTag/\(tag.key)"
      context.setIfAbsent(key, lowercased: RequestContext.lowercasedKey(key), tag.value)
    }
  }

  /// The `aws:TokenIssueTime` iamsim assumes for temporary credentials, so that output never depends on the clock.
  public static let assumedTokenIssueTime = "2026-01-01T00:00:00Z"

  /// Sets a tag; a tag whose key equals an existing one regardless of case replaces it (rule F-6).
  public mutating func setTag(_ key: String, _ value: String) {
    tags.removeAll { $0.key.lowercased() == key.lowercased() }
    tags.append((key, value))
  }
}

import IAMPolicy

/// Why a caller ARN cannot be used.
public struct PrincipalError: Error, Sendable, Hashable {
  /// What is wrong.
  public let message: String
}

/// The keys ``Principal/addDerivedKeys(to:)`` adds, and the entries whose values never depend on the caller, made
/// once (each entry carries its own hashed key).
enum DerivedContextKeys {
  static let principalARN = ContextKey("aws:principalarn")

  /// Every derived key but the principal tags, lower-cased.
  private static let names: Set<String> = [
    "aws:principalarn", "aws:principalaccount", "aws:principaltype", "aws:principalisawsservice", "aws:viaawsservice",
    "aws:securetransport", "aws:userid", "aws:username", "aws:tokenissuetime",
  ]
  private static let tagPrefix = Array("aws:principaltag/".utf8)

  /// Whether a lower-cased key may be one that ``Principal/addDerivedKeys(to:)`` adds.
  static func isDerived(_ key: String) -> Bool {
    names.contains(key) || key.utf8.starts(with: tagPrefix)
  }

  private static let user = principalTypeEntry(.user)
  private static let roleSession = principalTypeEntry(.roleSession)
  private static let federatedUser = principalTypeEntry(.federatedUser)
  private static let root = principalTypeEntry(.root)
  private static let anonymous = principalTypeEntry(.anonymous)

  /// The `aws:PrincipalType` entry of a kind of caller.
  static func principalType(_ kind: Principal.Kind) -> ContextEntry {
    switch kind {
    case .user: user
    case .roleSession: roleSession
    case .federatedUser: federatedUser
    case .root: root
    case .anonymous: anonymous
    }
  }

  private static func principalTypeEntry(_ kind: Principal.Kind) -> ContextEntry {
    ContextEntry(key: "aws:PrincipalType", value: kind.rawValue)
  }
  static let principalIsNotAWSService = ContextEntry(key: "aws:PrincipalIsAWSService", value: "false")
  static let notViaAWSService = ContextEntry(key: "aws:ViaAWSService", value: "false")
  static let overTLS = ContextEntry(key: "aws:SecureTransport", value: "true")
  static let assumedTokenIssueTime = ContextEntry(
    key: "aws:TokenIssueTime", values: [Principal.assumedTokenIssueTime], isMultivalued: false)
}
