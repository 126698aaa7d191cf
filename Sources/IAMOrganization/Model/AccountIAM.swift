/// An account's IAM, as `aws iam get-account-authorization-details` describes it, with every policy resolved.
public struct AccountIAM: Sendable {
  public var roles: [IAMRole]
  public var users: [IAMUser]
  /// Customer managed policies (their default version).
  public var policies: [CustomerManagedPolicy]

  public init(roles: [IAMRole] = [], users: [IAMUser] = [], policies: [CustomerManagedPolicy] = []) {
    self.roles = roles
    self.users = users
    self.policies = policies
  }

  /// The role with this name (IAM compares role names case-insensitively).
  public func role(named name: String) -> IAMRole? {
    roles.first { $0.name.lowercased() == name.lowercased() }
  }

  /// The user with this name (case-insensitively).
  public func user(named name: String) -> IAMUser? {
    users.first { $0.name.lowercased() == name.lowercased() }
  }

  /// The customer managed policy at this path with this name.
  public func policy(path: String, name: String) -> CustomerManagedPolicy? {
    policies.first { $0.path == path && $0.name.lowercased() == name.lowercased() }
  }
}

/// A tag of an IAM role or user: a principal tag in requests.
public struct IAMTag: Sendable, Hashable {
  public var key: String
  public var value: String

  public init(key: String, value: String) {
    self.key = key
    self.value = value
  }
}

/// An IAM role with its policies resolved.
public struct IAMRole: Sendable {
  public var name: String
  public var path: String
  public var arn: String
  public var roleId: String?
  /// The trust policy.
  public var trustPolicy: PolicyDocument
  /// Attached managed policies (AWS and customer managed) then inline policies.
  public var policies: [PolicyDocument]
  /// The ARNs of the attached managed policies.
  public var attachedPolicyArns: [String]
  public var permissionsBoundary: PolicyDocument?
  public var tags: [IAMTag]
  /// The trust policy as written, for questions the engine does not ask of callers (service principals).
  public var trustPolicyJSON: JSONValue?

  public init(
    name: String, path: String, arn: String, roleId: String? = nil, trustPolicy: PolicyDocument, policies: [PolicyDocument],
    attachedPolicyArns: [String], permissionsBoundary: PolicyDocument?, tags: [IAMTag], trustPolicyJSON: JSONValue? = nil
  ) {
    self.trustPolicyJSON = trustPolicyJSON
    self.name = name
    self.path = path
    self.arn = arn
    self.roleId = roleId
    self.trustPolicy = trustPolicy
    self.policies = policies
    self.attachedPolicyArns = attachedPolicyArns
    self.permissionsBoundary = permissionsBoundary
    self.tags = tags
  }

  /// Whether Identity Center provisioned this role for a permission set.
  public var isIdentityCenterRole: Bool {
    path.hasPrefix("/aws-reserved/sso.amazonaws.com/") && name.hasPrefix("AWSReservedSSO_")
  }

  /// Whether this is a service-linked role, which only its service assumes.
  public var isServiceLinked: Bool { path.hasPrefix("/aws-service-role/") }

  /// The inline policies: the documents after the attached ones, with their names.
  public var inlinePolicies: [(name: String, document: PolicyDocument)] {
    policies.dropFirst(attachedPolicyArns.count).map { document in
      // Documents are named `ACCOUNT:role NAME inline POLICY`.
      (document.name.range(of: " inline ").map { String(document.name[$0.upperBound...]) } ?? document.name, document)
    }
  }
}

/// An IAM user with its policies (its own and its groups') resolved.
public struct IAMUser: Sendable {
  public var name: String
  public var path: String
  public var arn: String
  public var userId: String?
  /// Attached managed, inline, then the groups' attached and inline policies.
  public var policies: [PolicyDocument]
  public var groups: [String]
  public var permissionsBoundary: PolicyDocument?
  public var tags: [IAMTag]

  public init(
    name: String, path: String, arn: String, userId: String? = nil, policies: [PolicyDocument], groups: [String],
    permissionsBoundary: PolicyDocument?, tags: [IAMTag]
  ) {
    self.name = name
    self.path = path
    self.arn = arn
    self.userId = userId
    self.policies = policies
    self.groups = groups
    self.permissionsBoundary = permissionsBoundary
    self.tags = tags
  }
}

/// A customer managed policy's default version.
public struct CustomerManagedPolicy: Sendable {
  public var name: String
  public var path: String
  public var arn: String
  public var policyId: String?
  /// The default version's document, read as an identity policy.
  public var document: PolicyDocument

  public init(name: String, path: String, arn: String, policyId: String? = nil, document: PolicyDocument) {
    self.name = name
    self.path = path
    self.arn = arn
    self.policyId = policyId
    self.document = document
  }
}
