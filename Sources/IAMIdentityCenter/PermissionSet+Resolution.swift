import IAMPolicy

/// Where the documents of AWS managed and customer managed policies come from.
public protocol PolicyProvider {
  /// The AWS managed policy with this ARN, read for the given role.
  mutating func awsManagedPolicy(arn: String, kind: PolicyKind) throws(InputError) -> PolicyDocument
  /// The customer managed policy with this name and path in `account`, or `nil` when the account has none.
  mutating func customerManagedPolicy(_ reference: CustomerManagedPolicyReference, account: String, kind: PolicyKind)
    throws(InputError) -> PolicyDocument?
}

/// A permission set's documents as they are in one account (rule F-4).
public struct ResolvedPermissionSet: Sendable, Hashable {
  /// The permission set.
  public var permissionSet: PermissionSet
  /// The account the documents were resolved in.
  public var account: String
  /// AWS managed, then customer managed (this account's copies), then the inline policy.
  public var identityPolicies: [PolicyDocument]
  /// The boundary, resolved in this account.
  public var permissionsBoundary: PolicyDocument?
}

extension PermissionSet {
  /// Resolves the permission set's policies in one account (rules F-3, F-4, T-47).
  ///
  /// - Throws: ``InputError`` when a customer managed policy does not exist in the account: Identity Center
  ///   would fail to provision the assignment, so no role and no session exist there.
  public func resolve(inAccount account: String, provider: inout some PolicyProvider) throws(InputError)
    -> ResolvedPermissionSet
  {
    var policies: [PolicyDocument] = []
    for arn in awsManagedPolicies { policies.append(try provider.awsManagedPolicy(arn: arn, kind: .identity)) }
    for reference in customerManagedPolicies {
      policies.append(try customerManaged(reference, account: account, kind: .identity, provider: &provider))
    }
    if let inlinePolicy { policies.append(inlinePolicy) }
    var boundary: PolicyDocument?
    switch permissionsBoundary {
    case .awsManaged(let arn)?: boundary = try provider.awsManagedPolicy(arn: arn, kind: .permissionsBoundary)
    case .customerManaged(let reference)?:
      boundary = try customerManaged(reference, account: account, kind: .permissionsBoundary, provider: &provider)
    case nil: break
    }
    return ResolvedPermissionSet(permissionSet: self, account: account, identityPolicies: policies,
                                 permissionsBoundary: boundary)
  }

  private func customerManaged(
    _ reference: CustomerManagedPolicyReference, account: String, kind: PolicyKind, provider: inout some PolicyProvider
  ) throws(InputError) -> PolicyDocument {
    guard let document = try provider.customerManagedPolicy(reference, account: account, kind: kind) else {
      throw InputError(
        "permission-set.unresolved-policy",
        "permission set `\(name)` references the customer managed policy `\(reference)`, which account \(account) does not have: Identity Center cannot provision the set there, so no role exists",
        file: source)
    }
    return document
  }
}
