/// Someone or something that can call AWS in an organization: the principals `eval`, `who-can` and `access` ask
/// about.
public enum Caller: Sendable, Hashable, CustomStringConvertible {
  /// An Identity Center user signed in to an account with a permission set.
  case identityCenter(user: String, permissionSet: String, account: String)
  /// An Identity Center user in an existing IAM role through an account access manager grant.
  case accountAccess(user: String, account: String, role: String)
  /// A session of an IAM role, assumed by whatever its trust policy admits.
  case role(account: String, name: String)
  /// An IAM user of an account.
  case iamUser(account: String, name: String)

  /// The account the caller acts in.
  public var account: String {
    switch self {
    case .identityCenter(_, _, let account), .accountAccess(_, let account, _), .role(let account, _), .iamUser(let account, _):
      account
    }
  }

  /// The Identity Center user, for the callers that are people.
  public var user: String? {
    switch self {
    case .identityCenter(let user, _, _), .accountAccess(let user, _, _): user
    case .role, .iamUser: nil
    }
  }

  public var description: String {
    switch self {
    case .identityCenter(let user, let permissionSet, let account): "\(user) with \(permissionSet) in \(account)"
    case .accountAccess(let user, let account, let role): "\(user) in role \(role) of \(account) (account access manager)"
    case .role(let account, let name): "role \(name) of \(account)"
    case .iamUser(let account, let name): "IAM user \(name) of \(account)"
    }
  }
}
