import IAMAWS
import IAMPolicy

/// Who `collect` runs as, from `sts:GetCallerIdentity`.
struct CallerIdentity: Sendable {
  var arn: String
  var account: String

  /// The partition of the caller's ARN (`aws`, `aws-us-gov`, `aws-cn`), for the member roles' ARNs.
  var partition: String {
    let fields = arn.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
    return fields.count > 1 && !fields[1].isEmpty ? String(fields[1]) : "aws"
  }
}

/// Account access manager's grants, and each account's IAM.
extension CollectRun {
  func callerIdentity() async throws(CollectError) -> CallerIdentity {
    let identity = try await fetch(Operations.getCallerIdentity)
    guard let arn = identity["Arn"]?.stringValue, let account = identity["Account"]?.stringValue else {
      throw CollectError("sts GetCallerIdentity answered without `Arn` and `Account`")
    }
    return CallerIdentity(arn: arn, account: account)
  }

  /// The application's entitlements, account by account (AWS requires a filter; the recipe filters by account).
  func accountAccess(_ accounts: [ListedAccount]) async throws(CollectError) {
    let applications = try await fetch(Operations.listApplications)
    await store.save(applications.merged, as: "list-applications.json")
    let arns = applications.list("applications").compactMap { $0["applicationArn"]?.stringValue }
    guard let application = arns.first else { return }
    if arns.count > 1 {
      await store.skip("\(arns.count - 1) other account access manager application(s)",
                       because: "the organization format holds one application; collect reads the first ListApplications gives, \(application)")
    }
    try await each(accounts.map(\.id)) { (account: String) throws(CollectError) in
      let filter = JSONOutput.object([("principalRole", .object([("account", .string(account))]))])
      let entitlements = try await self.fetch(Operations.listEntitlements, [("applicationArn", .string(application)), ("filter", filter)])
      await self.store.save(entitlements.merged, as: "list-entitlements.\(account).json")
    }
  }

  /// Each active account's `get-account-authorization-details`: the caller's own account with the caller's
  /// credentials, the others through the member role. An account that cannot be read is marked not collected,
  /// with why; refused credentials stop the collection.
  func accountsIAM(_ accounts: [ListedAccount], caller identity: CallerIdentity) async throws(CollectError) {
    await log.accounts(accounts.count)
    try await each(accounts) { (account: ListedAccount) throws(CollectError) in
      try await self.accountIAM(account, identity: identity)
      await self.log.accountDone()
    }
  }

  private func accountIAM(_ account: ListedAccount, identity: CallerIdentity) async throws(CollectError) {
    guard account.isActive else {
      let state = account.state.map { $0.lowercased().replacingOccurrences(of: "_", with: " ") } ?? "not active"
      await store.notCollected(account.id, because: "the account is \(state): collect reads only active accounts")
      return
    }
    let caller: any AWSCaller
    let context = "account \(account.id)"
    if account.id == identity.account {
      caller = access.caller
    } else if let role = options.memberRole {
      let roleArn = "arn:\(identity.partition):iam::\(account.id):role/\(role)"
      do {
        caller = try await assume(roleArn, context: context)
      } catch where Self.accountLevel(error) {
        await store.notCollected(account.id, because: "the member role could not be assumed: \(error.aws!.code): \(error.aws!.message)")
        return
      }
    } else {
      await store.notCollected(account.id, because: "no --member-role was given to read member accounts")
      return
    }
    do {
      let details = try await fetch(Operations.getAccountAuthorizationDetails, via: caller, context: context)
      await store.save(details.merged, as: "get-account-authorization-details.\(account.id).json")
    } catch where Self.accountLevel(error) {
      let via = account.id == identity.account ? "the caller's credentials" : "the role \(options.memberRole ?? "")"
      await store.notCollected(account.id, because: "iam:GetAccountAuthorizationDetails with \(via) was refused: \(error.aws!.code): \(error.aws!.message)")
    }
  }

  /// `sts:AssumeRole`, counted and limited like every call.
  private func assume(_ roleArn: String, context: String) async throws(CollectError) -> any AWSCaller {
    do {
      return try await limited(Operations.assumeRole.action) { () async throws(AWSError) -> any AWSCaller in
        try await self.access.assumeRole(roleArn, CollectOptions.sessionName)
      }
    } catch {
      throw CollectError.refused(error, Operations.assumeRole, context: context)
    }
  }

  /// Whether an error concerns one account only (access denied there, no such role): that account is marked not
  /// collected and the others go on. Refused credentials, throttling that outlasted the retries and transport
  /// failures stop the collection.
  static func accountLevel(_ error: CollectError) -> Bool {
    guard let aws = error.aws, let status = aws.status, (400..<500).contains(status) else { return false }
    return !RetryPolicy.isRetryable(aws) && !CollectError.credentialCodes.contains(aws.code)
  }
}
