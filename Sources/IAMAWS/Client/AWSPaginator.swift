import IAMPolicy

/// How an operation's output pages, as its botocore paginator (`paginators-1.json`) says: the request member that
/// asks for the next page, the response member that gives it, the member that says more follow (IAM's
/// `IsTruncated`), the lists the pages extend, and the members kept from the first page.
public struct AWSPaginator: Sendable, Hashable {
  public var inputToken: String
  public var outputToken: String
  public var moreResults: String?
  public var resultKeys: [String]
  public var nonAggregateKeys: [String]
  /// The request member that sets the page size.
  public var limitKey: String?

  public init(inputToken: String, outputToken: String, moreResults: String? = nil, resultKeys: [String],
              nonAggregateKeys: [String] = [], limitKey: String? = nil) {
    self.inputToken = inputToken
    self.outputToken = outputToken
    self.moreResults = moreResults
    self.resultKeys = resultKeys
    self.nonAggregateKeys = nonAggregateKeys
    self.limitKey = limitKey
  }

  /// `NextToken` pages of one list, with `MaxResults` (json services).
  public static func nextToken(_ resultKey: String) -> AWSPaginator {
    AWSPaginator(inputToken: "NextToken", outputToken: "NextToken", resultKeys: [resultKey], limitKey: "MaxResults")
  }

  /// IAM's `Marker` pages while `IsTruncated`, with `MaxItems`.
  public static func marker(_ resultKeys: [String], nonAggregateKeys: [String] = []) -> AWSPaginator {
    AWSPaginator(inputToken: "Marker", outputToken: "Marker", moreResults: "IsTruncated", resultKeys: resultKeys,
                 nonAggregateKeys: nonAggregateKeys, limitKey: "MaxItems")
  }

  /// botocore's paginator for an operation iamsim may call, or `nil`.
  public static func known(for operation: AWSOperation) -> AWSPaginator? {
    let name = operation.name
    switch operation.service.wire {
    case .query("2010-05-08"): return iam[name]
    case .json("AWSOrganizationsV20161128"): return organizations[name].map(nextToken)
    case .json("SWBExternalService"): return ssoAdmin[name].map(nextToken)
    case .json("AWSIdentityStore"): return identityStore[name].map(nextToken)
    case .restJSON where operation.service.endpointPrefix == "portal.sso":
      return ssoPortal[name].map { AWSPaginator(inputToken: "nextToken", outputToken: "nextToken", resultKeys: [$0], limitKey: "maxResults") }
    default: return nil
    }
  }

  /// The pages as the AWS CLI prints them (botocore's `PageIterator.build_full_result`): each result key's lists
  /// concatenated (strings concatenated, numbers added) in the order the pages first give them, then the
  /// non-aggregate keys of the first page; every other member (tokens, `IsTruncated`) left out.
  public func merge(_ pages: [JSONValue]) -> JSONValue {
    var order: [String] = []
    var merged: [String: JSONValue] = [:]
    for page in pages {
      for key in resultKeys {
        guard let value = page[key], value.kind != .null else { continue }
        guard let existing = merged[key] else {
          order.append(key)
          merged[key] = value
          continue
        }
        switch (existing.kind, value.kind) {
        case (.array(let first), .array(let more)): merged[key] = JSONValue(.array(first + more))
        case (.string(let first), .string(let more)): merged[key] = JSONValue(.string(first + more))
        case (.number(let first), .number(let more)):
          if let a = Int(first), let b = Int(more) { merged[key] = JSONValue(.number(String(a + b))) }
        default: break
        }
      }
    }
    var members = order.map { ($0, merged[$0]!) }
    if let first = pages.first {
      for key in nonAggregateKeys where merged[key] == nil {
        if let value = first[key] { members.append((key, value)) }
      }
    }
    return JSONBuild.object(members)
  }

  /// The token asking for the page after `page`, or `nil` after the last.
  public func nextToken(after page: JSONValue) -> String? {
    if let moreResults, page[moreResults]?.kind != .bool(true) { return nil }
    guard let token = page[outputToken]?.stringValue, !token.isEmpty else { return nil }
    return token
  }

  // botocore 1.43 paginators-1.json, result keys by operation.
  private static let organizations: [String: String] = [
    "ListAccounts": "Accounts", "ListAccountsForParent": "Accounts", "ListChildren": "Children",
    "ListOrganizationalUnitsForParent": "OrganizationalUnits", "ListParents": "Parents", "ListPolicies": "Policies",
    "ListPoliciesForTarget": "Policies", "ListRoots": "Roots", "ListTargetsForPolicy": "Targets",
    "ListAWSServiceAccessForOrganization": "EnabledServicePrincipals", "ListTagsForResource": "Tags",
    "ListDelegatedAdministrators": "DelegatedAdministrators", "ListDelegatedServicesForAccount": "DelegatedServices",
    "ListCreateAccountStatus": "CreateAccountStatuses", "ListHandshakesForAccount": "Handshakes",
    "ListHandshakesForOrganization": "Handshakes",
  ]
  private static let ssoAdmin: [String: String] = [
    "ListAccountAssignments": "AccountAssignments", "ListAccountAssignmentsForPrincipal": "AccountAssignments",
    "ListAccountsForProvisionedPermissionSet": "AccountIds", "ListInstances": "Instances",
    "ListManagedPoliciesInPermissionSet": "AttachedManagedPolicies",
    "ListCustomerManagedPolicyReferencesInPermissionSet": "CustomerManagedPolicyReferences",
    "ListPermissionSets": "PermissionSets", "ListPermissionSetsProvisionedToAccount": "PermissionSets",
    "ListTagsForResource": "Tags", "ListApplications": "Applications", "ListApplicationAssignments": "ApplicationAssignments",
    "ListTrustedTokenIssuers": "TrustedTokenIssuers",
  ]
  private static let identityStore: [String: String] = [
    "ListUsers": "Users", "ListGroups": "Groups", "ListGroupMemberships": "GroupMemberships",
    "ListGroupMembershipsForMember": "GroupMemberships",
  ]
  private static let ssoPortal: [String: String] = ["ListAccounts": "accountList", "ListAccountRoles": "roleList"]
  private static let iam: [String: AWSPaginator] = [
    "GetAccountAuthorizationDetails": marker(["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"]),
    "GetGroup": marker(["Users"], nonAggregateKeys: ["Group"]),
    "ListAccountAliases": marker(["AccountAliases"]),
    "ListAttachedGroupPolicies": marker(["AttachedPolicies"]), "ListAttachedRolePolicies": marker(["AttachedPolicies"]),
    "ListAttachedUserPolicies": marker(["AttachedPolicies"]), "ListGroups": marker(["Groups"]),
    "ListGroupsForUser": marker(["Groups"]), "ListPolicies": marker(["Policies"]), "ListRolePolicies": marker(["PolicyNames"]),
    "ListRoles": marker(["Roles"]), "ListUsers": marker(["Users"]),
  ]
}

extension AWSCaller {
  /// Every page of a paginated operation, in order: the call repeated with each page's token until the last.
  ///
  /// - Parameters:
  ///   - paginator: how it pages; by default botocore's for the operation (``AWSPaginator/known(for:)``).
  ///   - pageSize: the page size to ask for (the paginator's limit key), or `nil` for the service's default.
  /// - Throws: ``AWSError``: a failed call, `NoPaginator` for an operation with no known paginator, or
  ///   `InvalidResponse` when a token repeats (as botocore refuses it).
  public func pages(_ operation: AWSOperation, input: JSONOutput = .object([]), region: String, paginator: AWSPaginator? = nil,
                    pageSize: Int? = nil) async throws(AWSError) -> [JSONValue] {
    guard let paginator = paginator ?? AWSPaginator.known(for: operation) else {
      throw AWSError(code: "NoPaginator", message: "iamsim knows no paginator for this operation: give one", operation: operation.name)
    }
    var members = input.objectMembers ?? []
    if let pageSize, let limitKey = paginator.limitKey { set(&members, limitKey, .int(pageSize)) }
    var pages: [JSONValue] = []
    var seen: Set<String> = []
    while true {
      let page = try await call(operation, input: .object(members), region: region)
      pages.append(page)
      guard let token = paginator.nextToken(after: page) else { return pages }
      guard seen.insert(token).inserted else {
        throw AWSError(code: "InvalidResponse", message: "the same pagination token came twice", operation: operation.name)
      }
      set(&members, paginator.inputToken, .string(token))
    }
  }

  /// The output of every page merged as the AWS CLI prints it when it pages for you (``AWSPaginator/merge(_:)``).
  public func paginate(_ operation: AWSOperation, input: JSONOutput = .object([]), region: String, paginator: AWSPaginator? = nil,
                       pageSize: Int? = nil) async throws(AWSError) -> JSONValue {
    guard let paginator = paginator ?? AWSPaginator.known(for: operation) else {
      throw AWSError(code: "NoPaginator", message: "iamsim knows no paginator for this operation: give one", operation: operation.name)
    }
    let pages = try await self.pages(operation, input: input, region: region, paginator: paginator, pageSize: pageSize)
    return paginator.merge(pages)
  }
}

private func set(_ members: inout [(String, JSONOutput)], _ key: String, _ value: JSONOutput) {
  if let index = members.firstIndex(where: { $0.0 == key }) { members[index].1 = value } else { members.append((key, value)) }
}
