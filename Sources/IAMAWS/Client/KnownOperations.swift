/// The services iamsim calls, as their botocore service models describe them.
extension AWSService {
  /// IAM: global (`iam.amazonaws.com`, signed for us-east-1), the query protocol (`iam/2010-05-08`).
  public static let iam = AWSService(signingName: "iam", endpointPrefix: "iam", wire: .query(version: "2010-05-08"), isGlobal: true)
  /// STS, regional endpoints, the query protocol (`sts/2011-06-15`).
  public static let sts = AWSService(signingName: "sts", endpointPrefix: "sts", wire: .query(version: "2011-06-15"))
  /// AWS Organizations: global (`organizations.us-east-1.amazonaws.com`), json 1.1 (`organizations/2016-11-28`).
  public static let organizations = AWSService(signingName: "organizations", endpointPrefix: "organizations",
                                               wire: .json(targetPrefix: "AWSOrganizationsV20161128"), isGlobal: true)
  /// IAM Identity Center's administration API, json 1.1 (`sso-admin/2020-07-20`).
  public static let ssoAdmin = AWSService(signingName: "sso", endpointPrefix: "sso", wire: .json(targetPrefix: "SWBExternalService"))
  /// The identity store, json 1.1 (`identitystore/2020-06-15`).
  public static let identityStore = AWSService(signingName: "identitystore", endpointPrefix: "identitystore",
                                               wire: .json(targetPrefix: "AWSIdentityStore"))
  /// The SSO portal (`portal.sso.REGION.amazonaws.com`), rest-json (`sso/2019-06-10`).
  public static let ssoPortal = AWSService(signingName: "awsssoportal", endpointPrefix: "portal.sso", wire: .restJSON)
}

extension AWSOperation {
  /// `sts:GetCallerIdentity`.
  public static let getCallerIdentity = AWSOperation(service: .sts, name: "GetCallerIdentity")
  /// `sts:AssumeRole`.
  public static let assumeRole = AWSOperation(service: .sts, name: "AssumeRole")
  /// `iam:GetAccountAuthorizationDetails`.
  public static let getAccountAuthorizationDetails = AWSOperation(service: .iam, name: "GetAccountAuthorizationDetails")
  /// The SSO portal's `GetRoleCredentials`: `GET /federation/credentials?role_name=…&account_id=…`, the access
  /// token in `x-amz-sso_bearer_token`, unsigned.
  public static let getRoleCredentials = AWSOperation(
    service: .ssoPortal, name: "GetRoleCredentials", method: "GET", path: "/federation/credentials",
    queryMembers: ["roleName": "role_name", "accountId": "account_id"], headerMembers: ["accessToken": "x-amz-sso_bearer_token"],
    isSigned: false)
}
