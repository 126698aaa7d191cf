import IAMAWS

/// What `collect` is asked to do.
public struct CollectOptions: Sendable, Hashable {
  /// IAM Identity Center's region: every regional call (SSO Admin, the identity store, account access manager,
  /// STS) goes there; global services (Organizations, IAM) are reached through it.
  public var region: String
  /// The role assumed in each member account to read its IAM (`arn:aws:iam::ACCOUNT:role/NAME`); without it,
  /// member accounts are written as not collected.
  public var memberRole: String?
  /// The most calls in flight at once.
  public var concurrency: Int
  /// The profile the client was made with, recorded in the manifest.
  public var profile: String?
  /// The endpoint URL calls go to instead of AWS's, recorded in the manifest.
  public var endpointURL: String?

  /// The default number of calls in flight: AWS's control-plane APIs throttle at a few to a few tens of
  /// requests per second per account, which eight workers reach without spending the retries on throttling.
  public static let defaultConcurrency = 8

  /// The session name of the member-account role sessions, as CloudTrail shows it.
  public static let sessionName = "iamsim-collect"

  /// Creates options.
  public init(region: String, memberRole: String? = nil, concurrency: Int = defaultConcurrency, profile: String? = nil,
              endpointURL: String? = nil) {
    self.region = region
    self.memberRole = memberRole
    self.concurrency = concurrency
    self.profile = profile
    self.endpointURL = endpointURL
  }
}

/// How `collect` reaches AWS: the caller's own credentials, and a way to act in a member account.
public struct AWSAccess: Sendable {
  /// Calls with the credentials `collect` was started with.
  public var caller: any AWSCaller
  /// Calls `sts:AssumeRole` on a role ARN (with ``CollectOptions/sessionName``) and returns a caller with the
  /// role's credentials; the credentials stay inside it.
  public var assumeRole: @Sendable (_ roleArn: String, _ sessionName: String) async throws(AWSError) -> any AWSCaller
  /// The requests the client has retried so far (throttling, 5xx, dropped connections), across every caller.
  public var retries: @Sendable () -> Int

  /// Creates the access.
  public init(caller: any AWSCaller,
              assumeRole: @escaping @Sendable (_ roleArn: String, _ sessionName: String) async throws(AWSError) -> any AWSCaller,
              retries: @escaping @Sendable () -> Int = { 0 }) {
    self.caller = caller
    self.assumeRole = assumeRole
    self.retries = retries
  }
}
