/// The shape of a `query` operation's result, as its botocore service model declares it: enough to turn the XML
/// into the JSON the AWS CLI prints (members in the model's order, lists unwrapped, numbers and booleans typed,
/// IAM policy documents decoded).
indirect enum QueryShape: Sendable {
  case string
  case integer
  case boolean
  /// Printed as the AWS CLI v2 prints timestamps (`2024-02-12T15:41:08+00:00`).
  case timestamp
  /// IAM's `policyDocumentType`: a URL-encoded JSON string, which botocore's `json_decode_policies` handler
  /// decodes and parses into an object (kept as a string when it is not JSON).
  case policyDocument
  case list(QueryShape)
  case structure([(String, QueryShape)])

  /// The result shapes of the `query` operations iamsim calls, by service (the `Version` of its API) and
  /// operation name.
  static func result(version: String, operation: String) -> QueryShape? {
    switch (version, operation) {
    case ("2010-05-08", "GetAccountAuthorizationDetails"): IAMShapes.getAccountAuthorizationDetails
    case ("2011-06-15", "GetCallerIdentity"): STSShapes.getCallerIdentity
    case ("2011-06-15", "AssumeRole"): STSShapes.assumeRole
    default: nil
    }
  }
}

/// From botocore's `iam/2010-05-08/service-2.json`.
enum IAMShapes {
  static let tags = QueryShape.list(.structure([("Key", .string), ("Value", .string)]))
  static let permissionsBoundary = QueryShape.structure([("PermissionsBoundaryType", .string), ("PermissionsBoundaryArn", .string)])
  static let roleLastUsed = QueryShape.structure([("LastUsedDate", .timestamp), ("Region", .string)])
  static let policyDetails = QueryShape.list(.structure([("PolicyName", .string), ("PolicyDocument", .policyDocument)]))
  static let attachedPolicies = QueryShape.list(.structure([("PolicyName", .string), ("PolicyArn", .string)]))

  /// `Role`.
  static let role = QueryShape.structure([
    ("Path", .string), ("RoleName", .string), ("RoleId", .string), ("Arn", .string), ("CreateDate", .timestamp),
    ("AssumeRolePolicyDocument", .policyDocument), ("Description", .string), ("MaxSessionDuration", .integer),
    ("PermissionsBoundary", permissionsBoundary), ("Tags", tags), ("RoleLastUsed", roleLastUsed),
  ])

  /// `InstanceProfile`.
  static let instanceProfile = QueryShape.structure([
    ("Path", .string), ("InstanceProfileName", .string), ("InstanceProfileId", .string), ("Arn", .string),
    ("CreateDate", .timestamp), ("Roles", .list(role)), ("Tags", tags),
  ])

  /// `GetAccountAuthorizationDetailsResponse` (result wrapper `GetAccountAuthorizationDetailsResult`).
  static let getAccountAuthorizationDetails = QueryShape.structure([
    ("UserDetailList", .list(.structure([
      ("Path", .string), ("UserName", .string), ("UserId", .string), ("Arn", .string), ("CreateDate", .timestamp),
      ("UserPolicyList", policyDetails), ("GroupList", .list(.string)), ("AttachedManagedPolicies", attachedPolicies),
      ("PermissionsBoundary", permissionsBoundary), ("Tags", tags),
    ]))),
    ("GroupDetailList", .list(.structure([
      ("Path", .string), ("GroupName", .string), ("GroupId", .string), ("Arn", .string), ("CreateDate", .timestamp),
      ("GroupPolicyList", policyDetails), ("AttachedManagedPolicies", attachedPolicies),
    ]))),
    ("RoleDetailList", .list(.structure([
      ("Path", .string), ("RoleName", .string), ("RoleId", .string), ("Arn", .string), ("CreateDate", .timestamp),
      ("AssumeRolePolicyDocument", .policyDocument), ("InstanceProfileList", .list(instanceProfile)),
      ("RolePolicyList", policyDetails), ("AttachedManagedPolicies", attachedPolicies),
      ("PermissionsBoundary", permissionsBoundary), ("Tags", tags), ("RoleLastUsed", roleLastUsed),
    ]))),
    ("Policies", .list(.structure([
      ("PolicyName", .string), ("PolicyId", .string), ("Arn", .string), ("Path", .string), ("DefaultVersionId", .string),
      ("AttachmentCount", .integer), ("PermissionsBoundaryUsageCount", .integer), ("IsAttachable", .boolean),
      ("Description", .string), ("CreateDate", .timestamp), ("UpdateDate", .timestamp),
      ("PolicyVersionList", .list(.structure([
        ("Document", .policyDocument), ("VersionId", .string), ("IsDefaultVersion", .boolean), ("CreateDate", .timestamp),
      ]))),
    ]))),
    ("IsTruncated", .boolean),
    ("Marker", .string),
  ])
}

/// From botocore's `sts/2011-06-15/service-2.json`.
enum STSShapes {
  /// `GetCallerIdentityResponse`.
  static let getCallerIdentity = QueryShape.structure([("UserId", .string), ("Account", .string), ("Arn", .string)])

  /// `AssumeRoleResponse`.
  static let assumeRole = QueryShape.structure([
    ("Credentials", .structure([
      ("AccessKeyId", .string), ("SecretAccessKey", .string), ("SessionToken", .string), ("Expiration", .timestamp),
    ])),
    ("AssumedRoleUser", .structure([("AssumedRoleId", .string), ("Arn", .string)])),
    ("PackedPolicySize", .integer),
    ("SourceIdentity", .string),
  ])
}
