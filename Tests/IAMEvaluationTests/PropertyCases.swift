import IAMPolicy
import IAMTestSupport

@testable import IAMEvaluation

/// One random case over every evaluation layer: a caller of each kind (role session, IAM user, STS federated user)
/// in the home or the other account, a request on a resource of the home or the other account (S3 object, KMS key,
/// role to assume, SQS queue, secret, VPC, `*`), and the policies of every layer.
struct LayeredCase {
  var policies: ReferencePolicies
  var request: AuthorizationRequest

  static let home = ReferenceAuthorizer.home
  static let other = ReferenceAuthorizer.other

  // MARK: Generation

  static func random(using g: inout SeededGenerator) -> LayeredCase {
    func chance(_ n: Int) -> Bool { Int.random(in: 0..<n, using: &g) == 0 }
    func account() -> String { chance(4) ? other : home }

    // The caller.
    var principal: Principal
    switch Int.random(in: 0..<10, using: &g) {
    case 0..<4:
      let role = chance(3) ? "arn:aws:iam::\(account()):role/p/R2" : "arn:aws:iam::\(account()):role/R"
      principal = Principal.roleSession(roleARN: role, sessionName: chance(2) ? "s1" : "s2")!
    case 4..<7: principal = parsePrincipal("arn:aws:iam::\(account()):user/u1")
    default: principal = parsePrincipal("arn:aws:sts::\(account()):federated-user/fed1")
    }
    if chance(2) {
      principal.setTag("team", ["blue", "red", "green", "cafe\u{301}", "caf\u{E9}"].randomElement(using: &g)!)
    }
    if chance(2) { principal.setTag("region", ["eu-west-1", "us-east-1"].randomElement(using: &g)!) }

    // The request.
    var context = RequestContext()
    // Keys AWS sends with every request are always given; absence is exercised with principal tags.
    context.set("aws:RequestedRegion", ["eu-west-1", "us-east-1", "ap-south-1"].randomElement(using: &g)!)
    context.set("aws:SecureTransport", chance(2) ? "true" : "false")
    let owner = chance(2) ? principal.account : account()
    var resourceAccount: String? = nil
    let (action, resource, hasResourcePolicy): (String, String, Bool)
    switch Int.random(in: 0..<8, using: &g) {
    case 0:
      action = ["s3:GetObject", "s3:PutObject"].randomElement(using: &g)!
      // Object keys in two spellings of `café` (precomposed; decomposed): matching is byte-exact.
      resource = [
        "arn:aws:s3:::b/k", "arn:aws:s3:::c/blue/k", "arn:aws:s3:::b/blue/x", "arn:aws:s3:::b/caf\u{E9}/k",
        "arn:aws:s3:::b/cafe\u{301}/k",
      ].randomElement(using: &g)!
      resourceAccount = chance(3) ? nil : owner
      hasResourcePolicy = true
    case 1, 2:
      action = ["kms:Decrypt", "kms:Encrypt"].randomElement(using: &g)!
      resource = "arn:aws:kms:eu-west-1:\(owner):key/k1"
      hasResourcePolicy = true
    case 3, 4:
      action = "sts:AssumeRole"
      resource = "arn:aws:iam::\(owner):role/Target"
      hasResourcePolicy = true
    case 5:
      (action, resource) = chance(2)
        ? ("sqs:SendMessage", "arn:aws:sqs:eu-west-1:\(owner):q1")
        : ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:\(owner):secret:s1")
      hasResourcePolicy = true
    case 6:
      (action, resource) = ("ec2:DescribeVpcs", chance(2) ? "*" : "arn:aws:ec2:eu-west-1:\(owner):vpc/vpc-1")
      hasResourcePolicy = false
    default:
      (action, resource) = ("iam:ListRoles", "*")
      hasResourcePolicy = false
    }
    let request = AuthorizationRequest(
      principal: principal, action: action, resource: resource, resourceAccount: resourceAccount, context: context)

    // The policies.
    var policies = ReferencePolicies()
    func statements(_ range: ClosedRange<Int>, allowDeny: Bool = true) -> [RandomStatement] {
      (0..<Int.random(in: range, using: &g)).map { _ in RandomStatement.random(using: &g, allowDeny: allowDeny) }
    }
    /// Often a statement that allows the request (perhaps under a condition), so that later layers get to decide.
    func withLikelyAllow(_ policy: [RandomStatement]) -> [RandomStatement] {
      guard chance(2) else { return policy }
      var allow = RandomStatement.random(using: &g, allowDeny: false)
      allow.actions = [["*", request.action, String(action.prefix { $0 != ":" }) + ":*"].randomElement(using: &g)!]
      allow.notAction = false
      allow.resources = [["*", resource.unicodeScalars.allSatisfy { $0.value <= 0xFF } ? resource : "arn:aws:s3:::b/*"]
        .randomElement(using: &g)!]
      allow.notResource = false
      allow.conditions = Array(allow.conditions.prefix(chance(2) ? 1 : 0))
      return policy + [allow]
    }
    policies.identity = (0..<Int.random(in: 0...3, using: &g)).map { _ in statements(1...3) }
    if !policies.identity.isEmpty { policies.identity[0] = withLikelyAllow(policies.identity[0]) }
    if chance(4) { policies.boundary = withLikelyAllow(statements(1...2, allowDeny: !chance(3))) }
    switch principal.kind {
    case .roleSession: if chance(3) { policies.session = withLikelyAllow(statements(1...2)) }
    case .federatedUser: if !chance(3) { policies.session = withLikelyAllow(statements(1...2)) }
    default: break
    }
    if chance(4) {
      policies.scps = [[[RandomStatement.allowAll]], [withLikelyAllow(statements(1...1))]]
    }
    if chance(3) {
      policies.rcps = (0..<Int.random(in: 1...3, using: &g)).map { _ -> [[RandomStatement]] in
        switch Int.random(in: 0..<4, using: &g) {
        case 0: return [[RandomStatement.rcpFullAWSAccess]]
        case 1: return [[RandomStatement.rcpFullAWSAccess], randomRCPDenies(request, using: &g)]
        case 2: return [randomRCPDenies(request, using: &g)]
        default: return []
        }
      }
    }
    if hasResourcePolicy && !chance(4) {
      policies.resource = (0..<Int.random(in: 1...3, using: &g)).map { _ in
        randomResourceStatement(request, trust: action.hasPrefix("sts:"), using: &g)
      }
    }
    let management = [nil, home, other].randomElement(using: &g)!
    policies.principalAccountIsManagement = management == principal.account
    let arnAccount = resource.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).dropFirst(4).first
    let effectiveOwner = resourceAccount ?? arnAccount.flatMap { $0.isEmpty ? nil : String($0) } ?? principal.account
    policies.resourceAccountIsManagement = management == effectiveOwner
    return LayeredCase(policies: policies, request: request)
  }

  static func parsePrincipal(_ arn: String) -> Principal {
    guard case .success(let principal) = Principal.parse(arn) else { preconditionFailure("bad principal \(arn)") }
    return principal
  }

  /// Deny statements of a customer RCP: `"Principal": "*"`, no `NotAction`.
  static func randomRCPDenies(_ request: AuthorizationRequest, using g: inout SeededGenerator) -> [RandomStatement] {
    (0..<Int.random(in: 1...2, using: &g)).map { _ in
      var statement = RandomStatement.random(using: &g)
      statement.effect = "Deny"
      statement.notAction = false
      statement.actions = (0..<Int.random(in: 1...2, using: &g)).map { _ in
        ["*", "s3:*", "kms:*", "sts:AssumeRole", "sqs:*", "secretsmanager:*", "ec2:*", "iam:*", request.action]
          .randomElement(using: &g)!
      }
      statement.principal = .init(form: .star)
      return statement
    }
  }

  /// A statement of the requested resource's policy, naming the caller in one of AWS's forms (or someone else).
  static func randomResourceStatement(
    _ request: AuthorizationRequest, trust: Bool, using g: inout SeededGenerator
  ) -> RandomStatement {
    func chance(_ n: Int) -> Bool { Int.random(in: 0..<n, using: &g) == 0 }
    let caller = request.principal
    let service = String(request.action.split(separator: ":")[0])
    var statement = RandomStatement.random(using: &g)
    statement.actions = (0..<Int.random(in: 1...2, using: &g)).map { _ in
      ["*", "\(service):*", request.action, request.action, "s3:GetObject", "kms:Decrypt"].randomElement(using: &g)!
    }
    // A policy holds only characters up to U+00FF: the decomposed `café` of a request is named precomposed.
    let named = request.resource.unicodeScalars.allSatisfy { $0.value <= 0xFF } ? request.resource : "arn:aws:s3:::b/caf\u{E9}/k"
    statement.resources = (0..<Int.random(in: 1...2, using: &g)).map { _ in
      ["*", named, named, "arn:aws:s3:::b/*", "arn:aws:kms:*:*:key/*", "arn:aws:s3:::zzz"]
        .randomElement(using: &g)!
    }
    statement.notResource = statement.notResource && chance(2)
    statement.omitsResource = trust ? !chance(4) : chance(8)
    let foreign = caller.account == home ? other : home
    let callerValues: [String] =
      [caller.account, "arn:aws:iam::\(caller.account):root", caller.arn, caller.arn] + (caller.roleARN.map { [$0, $0] } ?? [])
    let otherValues = [
      foreign, "arn:aws:iam::\(foreign):root", "arn:aws:iam::\(home):role/Other", "arn:aws:iam::\(home):user/U1",
      "arn:aws:sts::\(home):assumed-role/R/s9", "arn:aws:sts::\(home):federated-user/fed2",
    ]
    if statement.effect == "Deny" && caller.kind != .federatedUser && chance(2) {
      // NotPrincipal: each of the caller's names listed with probability 3/4 (exempt only when all are listed).
      var listed: [String] = []
      if Int.random(in: 0..<4, using: &g) != 0 {
        listed.append(chance(2) ? caller.account : "arn:aws:iam::\(caller.account):root")
      }
      if let role = caller.roleARN, Int.random(in: 0..<4, using: &g) != 0 { listed.append(role) }
      if Int.random(in: 0..<4, using: &g) != 0 { listed.append(caller.arn) }
      if listed.isEmpty || chance(3) { listed.append(otherValues.randomElement(using: &g)!) }
      statement.principal = .init(negated: true, form: .aws(unique(listed)))
      return statement
    }
    switch Int.random(in: 0..<10, using: &g) {
    case 0: statement.principal = .init(form: .star)
    case 1: statement.principal = .init(form: chance(2) ? .awsStar : .service)
    default:
      let values = (0..<Int.random(in: 1...3, using: &g)).map { _ in
        chance(4) ? otherValues.randomElement(using: &g)! : callerValues.randomElement(using: &g)!
      }
      statement.principal = .init(form: .aws(unique(values)))
    }
    return statement
  }

  static func unique(_ values: [String]) -> [String] {
    var seen: Set<String> = []
    return values.filter { seen.insert($0).inserted }
  }

  // MARK: Engine input

  func policySet(_ cache: StatementCache) -> PolicySet {
    var set = PolicySet(
      identityPolicies: policies.identity.enumerated().map { document($1, name: "identity\($0)", cache: cache) },
      permissionsBoundary: policies.boundary.map { document($0, kind: .permissionsBoundary, name: "boundary", cache: cache) },
      sessionPolicy: policies.session.map { document($0, kind: .session, name: "session", cache: cache) },
      serviceControlPolicies: policies.scps.enumerated().map { level, docs in
        docs.enumerated().map { document($1, kind: .serviceControl, name: "scp\(level).\($0)", cache: cache) }
      },
      resourceControlPolicies: policies.rcps.enumerated().map { level, docs in
        docs.enumerated().map { document($1, kind: .resourceControl, name: "rcp\(level).\($0)", cache: cache) }
      },
      resourcePolicy: policies.resource.map { document($0, kind: .resource, name: "resource", cache: cache) })
    set.principalAccountIsManagement = policies.principalAccountIsManagement
    set.resourceAccountIsManagement = policies.resourceAccountIsManagement
    return set
  }

  // MARK: Shuffling

  /// The same policies with statements, policies, conditions, condition values and listed principals, actions and
  /// resources in another order: the decision must not change (E-13).
  func shuffled(using g: inout SeededGenerator) -> LayeredCase {
    func shuffle(_ s: RandomStatement) -> RandomStatement {
      var s = s
      s.actions.shuffle(using: &g)
      s.resources.shuffle(using: &g)
      s.conditions = s.conditions.map { spec in
        var spec = spec
        if spec.op != "Null" { spec.values.shuffle(using: &g) }
        return spec
      }.shuffled(using: &g)
      if case .aws(let values) = s.principal?.form { s.principal?.form = .aws(values.shuffled(using: &g)) }
      return s
    }
    func shuffle(_ policy: [RandomStatement]) -> [RandomStatement] { policy.map(shuffle).shuffled(using: &g) }
    var copy = self
    copy.policies.identity = policies.identity.map(shuffle).shuffled(using: &g)
    copy.policies.boundary = policies.boundary.map(shuffle)
    copy.policies.session = policies.session.map(shuffle)
    copy.policies.scps = policies.scps.map { $0.map(shuffle).shuffled(using: &g) }
    copy.policies.rcps = policies.rcps.map { $0.map(shuffle).shuffled(using: &g) }
    copy.policies.resource = policies.resource.map(shuffle)
    return copy
  }

  // MARK: Shrinking

  /// Smaller cases: one policy, statement, condition, tag or context key fewer. Used to shrink a counterexample.
  var reductions: [LayeredCase] {
    var result: [LayeredCase] = []
    func with(_ change: (inout LayeredCase) -> Void) { var c = self; change(&c); result.append(c) }
    func statementReductions(_ policy: [RandomStatement], _ set: @escaping (inout LayeredCase, [RandomStatement]) -> Void) {
      for i in policy.indices {
        if policy.count > 1 { with { var p = policy; p.remove(at: i); set(&$0, p) } }
        for j in policy[i].conditions.indices { with { var p = policy; p[i].conditions.remove(at: j); set(&$0, p) } }
        if policy[i].actions.count > 1 {
          for j in policy[i].actions.indices { with { var p = policy; p[i].actions.remove(at: j); set(&$0, p) } }
        }
        if policy[i].resources.count > 1 {
          for j in policy[i].resources.indices { with { var p = policy; p[i].resources.remove(at: j); set(&$0, p) } }
        }
        if case .aws(let values) = policy[i].principal?.form, values.count > 1 {
          for j in values.indices {
            with { var p = policy; var v = values; v.remove(at: j); p[i].principal?.form = .aws(v); set(&$0, p) }
          }
        }
      }
    }
    for i in policies.identity.indices {
      with { $0.policies.identity.remove(at: i) }
      statementReductions(policies.identity[i]) { $0.policies.identity[i] = $1 }
    }
    if let boundary = policies.boundary {
      with { $0.policies.boundary = nil }
      statementReductions(boundary) { $0.policies.boundary = $1 }
    }
    if let session = policies.session {
      with { $0.policies.session = nil }
      statementReductions(session) { $0.policies.session = $1 }
    }
    if !policies.scps.isEmpty { with { $0.policies.scps = [] } }
    for level in policies.scps.indices {
      for p in policies.scps[level].indices { statementReductions(policies.scps[level][p]) { $0.policies.scps[level][p] = $1 } }
    }
    for level in policies.rcps.indices {
      with { $0.policies.rcps.remove(at: level) }
      for p in policies.rcps[level].indices {
        with { $0.policies.rcps[level].remove(at: p) }
        statementReductions(policies.rcps[level][p]) { $0.policies.rcps[level][p] = $1 }
      }
    }
    if let resource = policies.resource {
      with { $0.policies.resource = nil }
      statementReductions(resource) { $0.policies.resource = $1 }
    }
    if policies.principalAccountIsManagement { with { $0.policies.principalAccountIsManagement = false } }
    if policies.resourceAccountIsManagement { with { $0.policies.resourceAccountIsManagement = false } }
    for tag in request.principal.tags {
      with { $0.request.principal.tags.removeAll { $0.key == tag.key } }
    }
    return result
  }

  /// Greedily removes parts while `fails` still holds.
  func shrunk(while fails: (LayeredCase) -> Bool) -> LayeredCase {
    var current = self
    var rounds = 0
    while rounds < 200, let smaller = current.reductions.first(where: fails) {
      current = smaller
      rounds += 1
    }
    return current
  }

  // MARK: Printing

  var description: String {
    var lines: [String] = []
    let p = request.principal
    var caller = "caller: \(p.kind.rawValue) \(p.arn)"
    if let role = p.roleARN { caller += " (role \(role))" }
    if !p.tags.isEmpty {
      caller += " tags " + p.tags.map { "\($0.key)=\(String(reflecting: $0.value))" }.joined(separator: ", ")
    }
    lines.append(caller)
    var req = "request: \(request.action) on \(request.resource)"
    if let account = request.resourceAccount { req += " (resource account \(account))" }
    let context = request.context.sortedEntries.map { "\($0.key)=\($0.values.joined(separator: "|"))" }
    if !context.isEmpty { req += " context " + context.joined(separator: ", ") }
    lines.append(req)
    if policies.principalAccountIsManagement { lines.append("the caller's account is the management account") }
    if policies.resourceAccountIsManagement { lines.append("the resource's account is the management account") }
    func render(_ name: String, _ statements: [RandomStatement]) {
      lines.append("  \(name): {\"Version\":\"2012-10-17\",\"Statement\":[")
      for (i, s) in statements.enumerated() {
        lines.append("      " + s.json + (i == statements.count - 1 ? "" : ","))
      }
      lines.append("    ]}")
    }
    if policies.identity.isEmpty { lines.append("  (no identity policy)") }
    for (i, policy) in policies.identity.enumerated() { render("identity policy \(i)", policy) }
    if let boundary = policies.boundary { render("permissions boundary", boundary) }
    if let session = policies.session { render("session policy", session) }
    for (level, docs) in policies.scps.enumerated() {
      for (i, doc) in docs.enumerated() { render("SCP level \(level) #\(i)", doc) }
    }
    for (level, docs) in policies.rcps.enumerated() {
      if docs.isEmpty { lines.append("  RCP level \(level): (no policy listed)") }
      for (i, doc) in docs.enumerated() { render("RCP level \(level) #\(i)", doc) }
    }
    if let resource = policies.resource { render("resource policy", resource) }
    return lines.joined(separator: "\n")
  }
}

extension RandomStatement {
  /// `FullAWSAccess`.
  static let allowAll = RandomStatement(
    effect: "Allow", actions: ["*"], notAction: false, resources: ["*"], notResource: false, conditions: [])
  /// `RCPFullAWSAccess`.
  static let rcpFullAWSAccess = RandomStatement(
    effect: "Allow", actions: ["*"], notAction: false, resources: ["*"], notResource: false, conditions: [],
    principal: .init(form: .star))
}
