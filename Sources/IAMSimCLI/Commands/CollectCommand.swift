import Foundation
import IAMAWS
import IAMCollect

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `iamsim collect`: a read-only snapshot of an AWS organization, straight from AWS, as an organization directory.
enum CollectCommand {
  static let help = """
    USAGE: iamsim collect --out DIR [--profile NAME] [--region REGION] [--endpoint-url URL] [--member-role NAME]
                          [--concurrency N]

    Reads an AWS Organization that signs people in through IAM Identity Center, with read-only calls, and writes
    it as the organization directory DIR (Documentation/OrganizationFormat.md), replacing DIR whole: the new
    directory is written beside it and renamed into place, so an interrupted run leaves the old one. DIR may be
    absent, empty or an organization directory; anything else is refused.

    It makes the calls of Documentation/ImportRecipe.md, with credentials of the management account (or of a
    delegated administrator): AWS Organizations (root, OUs, accounts, delegated administrators, SCPs and RCPs
    with their targets), IAM Identity Center (the instance, permission sets with their policies and boundary,
    assignments in the accounts each set is provisioned to, the attributes for access control), the identity
    store (users with the enterprise extension, groups, memberships), account access manager's entitlements,
    and each account's IAM (get-account-authorization-details).

    Options:
      --out DIR            the organization directory to write (required)
      --profile NAME       the AWS CLI profile (default: AWS_PROFILE, else the default profile)
      --region REGION      IAM Identity Center's region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's)
      --endpoint-url URL   send every call to URL (an emulator such as moto)
      --member-role NAME   read each member account's IAM through arn:aws:iam::ACCOUNT:role/NAME (sts:AssumeRole);
                           without it, member accounts are written as not collected ("iam": "not-collected"), and
                           answers that need their roles or customer managed policies fail closed
      --concurrency N      calls in flight at once, 1 to 64 (default 8)

    Writes DIR/collect-manifest.json: when, the caller's ARN, the region, every API action called with its
    count, the retries, and what was not collected or skipped and why (Documentation/Collect.md). A progress
    line on standard error counts calls, accounts done and throttled retries. No credential is ever printed or
    written.

    Exit status: 0 written; 2 AWS refused a call (the message names the operation and AWS's error code), the
    credentials are missing or expired, or DIR cannot be replaced; 64 bad usage.

    """

  static func run(_ arguments: [String], environment: [String: String], out: (String) -> Void, err: (String) -> Void) throws
    -> ExitStatus
  {
    let parsed = try ParsedArguments(
      arguments, valueFlags: ["--out", "--profile", "--region", "--endpoint-url", "--member-role", "--concurrency"],
      switchFlags: [], command: "collect")
    guard parsed.positionals.isEmpty else {
      throw UsageError("collect takes no arguments: name the directory with --out DIR", command: "collect")
    }
    guard let directory = try parsed.single("--out", command: "collect"), !directory.isEmpty else {
      throw UsageError("--out DIR is required: the organization directory to write", command: "collect")
    }
    var concurrency = CollectOptions.defaultConcurrency
    if let text = try parsed.single("--concurrency", command: "collect") {
      guard let value = Int(text), (1...64).contains(value) else {
        throw UsageError("--concurrency must be a whole number from 1 to 64, not `\(text)`", command: "collect")
      }
      concurrency = value
    }
    let memberRole = try parsed.single("--member-role", command: "collect")
    if let memberRole, memberRole.isEmpty || memberRole.contains(":") {
      throw UsageError("--member-role takes a role name (or path/name), not `\(memberRole)`", command: "collect")
    }
    let settings = ClientSettings(profile: try parsed.single("--profile", command: "collect"),
                                  region: try parsed.single("--region", command: "collect"),
                                  endpointURL: try parsed.single("--endpoint-url", command: "collect"), environment: environment)
    let (access, region, endpointURL): (AWSAccess, String, String?)
    do {
      (access, region, endpointURL) = try makeAccess(settings, concurrency: concurrency)
    } catch {
      err("error: \(error.message)\n")
      return .invalidInput
    }
    let options = CollectOptions(region: region, memberRole: memberRole, concurrency: concurrency, profile: settings.profile,
                                 endpointURL: endpointURL)
    let progress = ProgressLine(terminal: isatty(STDERR_FILENO) == 1 && environment["TERM"] != "dumb")
    switch wait(for: Collector(access: access, options: options), into: directory, progress: progress, err: err) {
    case .success(let result):
      out(result.report)
      return .success
    case .failure(let error):
      err("error: \(error.message)\n")
      return .invalidInput
    }
  }

  /// Runs the collection on Swift's concurrency pool and waits for it here, drawing the progress line meanwhile
  /// (from this thread only: `err` is not thread-safe).
  private static func wait(for collector: Collector, into directory: String, progress: ProgressLine, err: (String) -> Void)
    -> Result<CollectResult, CollectError>
  {
    let latest = Locked(CollectProgress())
    let outcome = Locked<Result<CollectResult, CollectError>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task.detached {
      do throws(CollectError) {
        let result = try await collector.collect(into: directory) { update in latest.set(update) }
        outcome.set(.success(result))
      } catch {
        outcome.set(.failure(error))
      }
      done.signal()
    }
    while done.wait(timeout: .now() + progress.interval) == .timedOut { progress.draw(latest.get(), err: err) }
    progress.finish(latest.get(), err: err)
    return outcome.get()!
  }
}

/// What the AWS client is made from: the command's options and the environment.
struct ClientSettings: Sendable {
  var profile: String?
  var region: String?
  var endpointURL: String?
  var environment: [String: String]
}

/// The progress line on standard error: rewritten in place on a terminal; on a pipe, a plain line every few
/// seconds and a last one.
final class ProgressLine {
  let terminal: Bool
  private var last: CollectProgress?
  private var ticks = 0

  init(terminal: Bool) { self.terminal = terminal }

  /// How often ``draw(_:)`` is called.
  var interval: DispatchTimeInterval { .milliseconds(200) }

  func draw(_ progress: CollectProgress, err: (String) -> Void) {
    ticks += 1
    if terminal {
      guard progress != last else { return }
      err("\r\u{1B}[2Kcollect: \(progress.line)")
    } else {
      // Every 5 seconds, when something changed.
      guard ticks % 25 == 0, progress != last else { return }
      err("collect: \(progress.line)\n")
    }
    last = progress
  }

  func finish(_ progress: CollectProgress, err: (String) -> Void) {
    if terminal {
      err("\r\u{1B}[2Kcollect: \(progress.line)\n")
    } else if progress.calls > 0, progress != last {
      err("collect: \(progress.line)\n")
    }
  }
}

/// A value shared between the collection's tasks and the waiting thread.
final class Locked<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) { self.value = value }

  func get() -> Value { lock.withLock { value } }
  func set(_ newValue: Value) { lock.withLock { value = newValue } }
}

extension CollectCommand {
  /// The AWS client, made as the AWS CLI would be from the options and the environment, as `collect`'s access,
  /// with the region calls go to and the endpoint URL in use (`--endpoint-url`, `AWS_ENDPOINT_URL` or the profile's).
  static func makeAccess(_ settings: ClientSettings, concurrency: Int) throws(CollectError) -> (AWSAccess, String, String?) {
    let client: AWSClient
    do {
      client = try AWSClient(profile: settings.profile, region: settings.region, endpointURL: settings.endpointURL,
                             environment: settings.environment,
                             homeDirectory: settings.environment["HOME"] ?? NSHomeDirectory(), maxConcurrentCalls: concurrency)
    } catch {
      throw CollectError(error.message, aws: error)
    }
    guard let region = client.region else {
      throw CollectError("no region: give --region the region of the organization's IAM Identity Center instance (or set AWS_REGION, or region in the profile `\(client.profile)`)")
    }
    let access = AWSAccess(
      caller: client,
      assumeRole: { (roleArn: String, sessionName: String) throws(AWSError) -> any AWSCaller in try await client.assuming(roleArn, sessionName) },
      retries: { client.retries })
    return (access, region, client.endpointURL)
  }
}
