import IAMPolicy

/// An IAM Identity Center permission set, in a JSON format that mirrors the sso-admin API (rule F-3).
///
/// ```json
/// {"Name": "DatabaseAdministrator", "Description": "…", "SessionDuration": "PT8H", "RelayState": "…",
///  "AwsManagedPolicies": ["arn:aws:iam::aws:policy/job-function/DatabaseAdministrator"],
///  "CustomerManagedPolicyReferences": [{"Name": "DbaExtras", "Path": "/"}],
///  "InlinePolicy": {"Version": "2012-10-17", "Statement": […]},
///  "PermissionsBoundary": {"ManagedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}}
/// ```
public struct PermissionSet: Sendable, Hashable {
  /// The name, 1 to 32 characters of `[\w+=,.@-]`; it becomes part of the role name.
  public var name: String
  /// The description, if any.
  public var description: String?
  /// The session duration as written (ISO 8601, PT1H to PT12H); `PT1H` when absent.
  public var sessionDuration: String
  /// The URL the console opens after sign-in; no effect on authorization.
  public var relayState: String?
  /// AWS managed policies, by ARN: the same in every account.
  public var awsManagedPolicies: [String]
  /// Customer managed policies by name and path: resolved in each account the set is assigned in.
  public var customerManagedPolicies: [CustomerManagedPolicyReference]
  /// The inline policy, if any; it becomes an inline policy of the role.
  public var inlinePolicy: PolicyDocument?
  /// The permissions boundary, if any.
  public var permissionsBoundary: Boundary?
  /// Where the permission set was read from, for messages.
  public var source: String
  /// The permission set's ARN, `arn:aws:sso:::permissionSet/ssoins-…/ps-…`, when known.
  public var arn: String? = nil

  /// A permissions boundary: an AWS managed policy, or a customer managed policy resolved per account.
  public enum Boundary: Sendable, Hashable {
    case awsManaged(String)
    case customerManaged(CustomerManagedPolicyReference)
  }
}

/// A reference to a customer managed policy by name and path (rule F-3).
public struct CustomerManagedPolicyReference: Sendable, Hashable, CustomStringConvertible {
  /// The policy name.
  public var name: String
  /// The path, `/` by default, beginning and ending with `/`.
  public var path: String

  /// Creates a reference.
  public init(name: String, path: String = "/") {
    self.name = name
    self.path = path
  }

  /// `path + name`, such as `/teams/DbaExtras`.
  public var description: String { path + name }
}
