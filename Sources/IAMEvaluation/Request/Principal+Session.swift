import IAMPolicy

extension Principal {
  /// A session of a role whose full ARN (with its path) is known, such as an Identity Center role.
  ///
  /// - Parameters:
  ///   - roleARN: the role's ARN including its path: the session's `aws:PrincipalArn`.
  ///   - sessionName: the session name, which ends the session ARN and `aws:userid`.
  /// - Returns: `nil` when `roleARN` is not an IAM role ARN with a 12-digit account.
  public static func roleSession(roleARN: String, sessionName: String) -> Principal? {
    guard let arn = ARN(roleARN), arn.service == "iam", arn.resource.hasPrefix("role/"), arn.account.count == 12,
      let roleName = arn.resource.split(separator: "/").last
    else { return nil }
    let session = "arn:\(arn.partition):sts::\(arn.account):assumed-role/\(roleName)/\(sessionName)"
    return Principal(arn: session, kind: .roleSession, account: arn.account, roleARN: roleARN, sessionName: sessionName)
  }
}
