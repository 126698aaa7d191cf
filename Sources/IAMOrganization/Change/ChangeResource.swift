import IAMIdentityCenter
import IAMPolicy

/// A value a change sets, or one that is known only once the change is applied (Terraform's `after_unknown`).
public enum Planned<Value: Sendable & Hashable>: Sendable, Hashable {
  case known(Value)
  /// Not known until apply; the text says which attribute.
  case unknown(String)

  /// The value, when known.
  public var value: Value? {
    if case .known(let value) = self { return value }
    return nil
  }
}

/// How a resource of a change refers to another entity (a permission set, a user, a group, a control policy, an
/// account, an OU or the root).
public enum EntityReference: Sendable, Hashable, CustomStringConvertible {
  /// An AWS identifier: a permission-set ARN, an identity-store user or group ID, a policy ID, an account, OU or
  /// root ID.
  case identifier(String)
  /// A resource of the same change, by its Terraform address or CloudFormation logical ID: the entity it creates,
  /// whose identifier is not known yet.
  case resource(String)
  /// Known only once the change is applied, and not traceable to a resource of the change.
  case unknown(String)

  public var description: String {
    switch self {
    case .identifier(let id): id
    case .resource(let address): address
    case .unknown(let what): "(\(what), known after apply)"
    }
  }
}

/// Where a resource of a change was read: its address, its type as the source names it, and its position.
public struct ResourceOrigin: Sendable, Hashable, CustomStringConvertible {
  /// The Terraform address (`module.sso.aws_ssoadmin_account_assignment.dev`) or the CloudFormation logical ID.
  public var address: String
  /// The resource type as written (`aws_ssoadmin_permission_set`, `AWS::SSO::PermissionSet`).
  public var type: String
  public var file: String
  public var path: JSONPath
  public var position: SourcePosition?

  public init(address: String, type: String, file: String, path: JSONPath, position: SourcePosition?) {
    self.address = address
    self.type = type
    self.file = file
    self.path = path
    self.position = position
  }

  public var description: String { address }
}

/// One resource of a change, in iamsim's terms: what Terraform's AWS provider and CloudFormation both describe,
/// whichever wrote it.
public enum ModelledResource: Sendable, Hashable {
  /// A permission set. `policies` is set when the resource holds the set's policies itself (CloudFormation's
  /// `AWS::SSO::PermissionSet`), replacing whatever the base had; `nil` when separate attachments do (Terraform).
  case permissionSet(name: String, arn: Planned<String>, sessionDuration: String?, policies: PermissionSetPolicies?)
  /// An AWS managed policy attached to a permission set.
  case managedPolicyAttachment(permissionSet: EntityReference, arn: Planned<String>)
  /// A customer managed policy reference of a permission set.
  case customerManagedPolicyAttachment(
    permissionSet: EntityReference, reference: Planned<CustomerManagedPolicyReference>)
  /// The inline policy of a permission set: the document, as a JSON value (an object, or a string holding one).
  case inlinePolicy(permissionSet: EntityReference, document: Planned<JSONValue>)
  /// The permissions boundary of a permission set.
  case permissionsBoundary(permissionSet: EntityReference, boundary: Planned<PermissionSet.Boundary>)
  /// An account assignment.
  case assignment(
    permissionSet: EntityReference, principalType: PrincipalType, principal: EntityReference,
    account: EntityReference)
  /// An identity-store user.
  case user(id: Planned<String>, userName: String, attributes: [String: String])
  /// An identity-store group.
  case group(id: Planned<String>, displayName: String)
  /// A user's membership of a group.
  case membership(group: EntityReference, member: EntityReference)
  /// An SCP or RCP; `targets` when the resource names its targets itself (CloudFormation's `TargetIds`).
  case controlPolicy(
    id: Planned<String>, name: String, type: String, content: Planned<JSONValue>, targets: [EntityReference]?)
  /// A control policy attached to the root, an OU or an account.
  case controlPolicyAttachment(policy: EntityReference, target: EntityReference)
  /// A member account.
  case account(id: Planned<String>, name: String, parent: EntityReference?)
  /// An organizational unit.
  case organizationalUnit(id: Planned<String>, name: String, parent: EntityReference)
  /// An IAM role of an account. `policies` is set when the resource holds the role's policies itself, exclusively
  /// (CloudFormation's `AWS::IAM::Role`; Terraform's `managed_policy_arns` and `inline_policy` where the
  /// configuration sets them), replacing what the base had; `nil` when separate attachments do.
  case iamRole(
    account: String, name: String, path: String, trustPolicy: Planned<JSONValue>, boundary: EntityReference?,
    tags: Planned<[IAMTag]>, policies: RolePolicies?)
  /// A customer managed policy of an account (its default version).
  case iamPolicy(account: String, name: String, path: String, document: Planned<JSONValue>)
  /// A managed policy (AWS or customer managed; by ARN, or a policy resource of the change) attached to a role.
  case iamRolePolicyAttachment(account: String, role: EntityReference, policy: EntityReference)
  /// A role's inline policy.
  case iamRolePolicy(account: String, role: EntityReference, name: String, document: Planned<JSONValue>)
}

/// The policies an IAM role resource holds itself; a `nil` list leaves that kind of policy as the base has it.
public struct RolePolicies: Sendable, Hashable {
  /// Attached managed policies: ARNs, or policy resources of the change.
  public var managed: [EntityReference]?
  /// Inline policies, by name.
  public var inline: [InlineRolePolicy]?

  public init(managed: [EntityReference]? = nil, inline: [InlineRolePolicy]? = nil) {
    self.managed = managed
    self.inline = inline
  }
}

/// A role's inline policy as a change writes it.
public struct InlineRolePolicy: Sendable, Hashable {
  public var name: String
  public var document: Planned<JSONValue>

  public init(name: String, document: Planned<JSONValue>) {
    self.name = name
    self.document = document
  }
}

/// The policies a permission-set resource holds itself.
public struct PermissionSetPolicies: Sendable, Hashable {
  public var managed: [Planned<String>]
  public var customerManaged: [CustomerManagedPolicyReference]
  public var inline: Planned<JSONValue>?
  public var boundary: Planned<PermissionSet.Boundary>?

  public init(
    managed: [Planned<String>] = [], customerManaged: [CustomerManagedPolicyReference] = [],
    inline: Planned<JSONValue>? = nil, boundary: Planned<PermissionSet.Boundary>? = nil
  ) {
    self.managed = managed
    self.customerManaged = customerManaged
    self.inline = inline
    self.boundary = boundary
  }
}

/// A modelled resource and where it was read.
public struct ChangeItem: Sendable, Hashable {
  public var origin: ResourceOrigin
  public var resource: ModelledResource

  public init(origin: ResourceOrigin, resource: ModelledResource) {
    self.origin = origin
    self.resource = resource
  }
}

/// One side of a change: the resources that exist, and those that no longer do.
public struct ResourceLayer: Sendable {
  /// Resources that exist on this side, laid over the base (added, or replacing the base's version).
  public var present: [ChangeItem]
  /// Resources the change removes: taken out of the base.
  public var absent: [ChangeItem]

  public init(present: [ChangeItem] = [], absent: [ChangeItem] = []) {
    self.present = present
    self.absent = absent
  }
}

/// A change read from a Terraform plan or state, or a CloudFormation template, in iamsim's terms.
public struct OrganizationChange: Sendable {
  /// What the change says existed before it (a plan's prior state); empty for a template or a state.
  public var before: ResourceLayer
  /// What exists after it.
  public var after: ResourceLayer
  /// Resources read only to name things (Terraform data sources, unchanged resources): they join identifiers to
  /// names but are not laid over the organization.
  public var known: [ChangeItem]
  /// Resources iamsim does not model, listed and left out.
  public var unmodelled: [ResourceOrigin]

  public init(
    before: ResourceLayer = ResourceLayer(), after: ResourceLayer = ResourceLayer(), known: [ChangeItem] = [],
    unmodelled: [ResourceOrigin] = []
  ) {
    self.before = before
    self.after = after
    self.known = known
    self.unmodelled = unmodelled
  }

  /// Every value known only after apply, with the resource that holds it.
  public var unknowns: [(origin: ResourceOrigin, what: String)] {
    (before.present + after.present).flatMap { item in item.resource.unknowns.map { (item.origin, $0) } }
  }
}

extension ModelledResource {
  /// The attributes of this resource known only after apply that decide access (identifiers that a reference
  /// to the resource replaces are not among them).
  var unknowns: [String] {
    func reference(_ value: EntityReference) -> [String] {
      if case .unknown(let what) = value { return [what] }
      return []
    }
    func planned<T>(_ value: Planned<T>) -> [String] {
      if case .unknown(let what) = value { return [what] }
      return []
    }
    switch self {
    case .permissionSet(_, _, _, let policies):
      guard let policies else { return [] }
      return policies.managed.flatMap(planned) + (policies.inline.map(planned) ?? [])
        + (policies.boundary.map(planned) ?? [])
    case .managedPolicyAttachment(let set, let arn): return reference(set) + planned(arn)
    case .customerManagedPolicyAttachment(let set, let value): return reference(set) + planned(value)
    case .inlinePolicy(let set, let document): return reference(set) + planned(document)
    case .permissionsBoundary(let set, let boundary): return reference(set) + planned(boundary)
    case .assignment(let set, _, let principal, let account):
      return reference(set) + reference(principal) + reference(account)
    case .user, .group: return []
    case .membership(let group, let member): return reference(group) + reference(member)
    case .controlPolicy(_, _, _, let content, let targets): return planned(content) + (targets ?? []).flatMap(reference)
    case .controlPolicyAttachment(let policy, let target): return reference(policy) + reference(target)
    case .account(_, _, let parent): return parent.map(reference) ?? []
    case .organizationalUnit(_, _, let parent): return reference(parent)
    case .iamRole(_, _, _, let trust, let boundary, let tags, let policies):
      return planned(trust) + planned(tags) + (boundary.map(reference) ?? []) + (policies?.managed ?? []).flatMap(reference)
        + (policies?.inline ?? []).flatMap { planned($0.document) }
    case .iamPolicy(_, _, _, let document): return planned(document)
    case .iamRolePolicyAttachment(_, let role, let policy): return reference(role) + reference(policy)
    case .iamRolePolicy(_, let role, _, let document): return reference(role) + planned(document)
    }
  }
}
