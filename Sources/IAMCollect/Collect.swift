import Foundation
import IAMAWS
import IAMOrganization
import IAMPolicy

/// `iamsim collect`: a read-only snapshot of an AWS organization, written as an organization directory.
///
/// It runs the recipe of `Documentation/ImportRecipe.md` itself: the same read-only operations, through an
/// ``AWSCaller``, each output merged across its pages into exactly what the AWS CLI prints and named as the
/// recipe names it, then given to ``OrganizationImport``, the one builder of organization directories from AWS
/// outputs. The directory gets `collect-manifest.json` (``CollectManifest``) and replaces `directory` whole.
///
/// ```swift
/// let collector = Collector(access: AWSAccess(caller: client, assumeRole: { arn, name in try await client.assuming(arn, name) }),
///                           options: CollectOptions(region: "eu-west-1", memberRole: "iamsim-collect"))
/// let result = try await collector.collect(into: "org")
/// ```
public struct Collector: Sendable {
  /// How AWS is reached: the caller, member-account roles, the client's retry count.
  public let access: AWSAccess
  /// The region, the member role, the calls in flight.
  public let options: CollectOptions

  /// Every IAM action `collect` may call, in the order of `policies/collector-policy.json` (which has all but
  /// `sts:AssumeRole`: that one is in `policies/collector-assume-member-role.json`, needed with a member role).
  public static var actions: [String] { Operations.all.map(\.action) }

  /// Creates a collector.
  public init(access: AWSAccess, options: CollectOptions) {
    self.access = access
    self.options = options
  }

  /// Collects the organization and replaces `directory` with it.
  ///
  /// - Parameter progress: called after every call and account (from any thread): calls, accounts done,
  ///   retries.
  /// - Throws: ``CollectError`` when AWS refused a call the organization needs (naming the operation and AWS's
  ///   error code), answered what the importer cannot read, or `directory` cannot be replaced; nothing is
  ///   written then.
  public func collect(into directory: String, progress: @escaping @Sendable (CollectProgress) -> Void = { _ in })
    async throws(CollectError) -> CollectResult
  {
    try OutputDirectory.check(directory)
    let started = Date()
    let run = CollectRun(access: access, options: options, progress: progress)
    let identity = try await run.callerIdentity()
    let basics = try await run.organizationBasics()
    let instance = try await run.instance()
    try await run.each(Part.allCases) { (part: Part) throws(CollectError) in
      switch part {
      case .tree: for root in basics.rootIDs { try await run.tree(under: root) }
      case .controlPolicies: try await run.controlPolicies(basics.enabledTypes)
      case .delegatedAdministrators: try await run.delegatedAdministrators()
      case .permissionSets: try await run.permissionSets(instance)
      case .accessControlAttributes: try await run.accessControlAttributes(instance)
      case .identityStore: try await run.identityStore(instance)
      case .accountAccess: try await run.accountAccess(basics.accounts)
      case .accountsIAM: try await run.accountsIAM(basics.accounts, caller: identity)
      }
    }
    return try await write(run, into: directory, identity: identity, accounts: basics.accounts, started: started)
  }

  /// The parts collected side by side once the organization's accounts and the instance are known.
  private enum Part: CaseIterable {
    case tree, controlPolicies, delegatedAdministrators, permissionSets, accessControlAttributes, identityStore, accountAccess
    case accountsIAM
  }

  /// Gives every output to the importer, writes the directory beside `directory` with the manifest, and moves it
  /// into place.
  private func write(_ run: CollectRun, into directory: String, identity: CallerIdentity, accounts: [ListedAccount],
                     started: Date) async throws(CollectError) -> CollectResult
  {
    var importer = OrganizationImport()
    do {
      for (file, bytes) in await run.store.files.sorted(by: { $0.key < $1.key }) { try importer.add(file: file, bytes: bytes) }
    } catch {
      throw CollectError.unreadable(error)
    }
    let staged = OutputDirectory.staging(for: directory)
    do throws(CollectError) {
      let result: ImportResult
      do {
        result = try importer.write(to: staged)
      } catch where error.diagnostics.contains(where: { $0.code == .importOutput }) {
        throw CollectError("cannot write `\(directory)`: \(error.description)")
      } catch {
        throw CollectError.unreadable(error)
      }
      let manifest = await self.manifest(run, identity: identity, accounts: accounts, started: started, result: result)
      do {
        try Data(manifest.bytes).write(to: URL(fileURLWithPath: staged).appendingPathComponent(CollectManifest.fileName))
      } catch {
        throw CollectError("cannot write \(CollectManifest.fileName): \(error.localizedDescription)")
      }
      try OutputDirectory.replace(directory, with: staged)
      return CollectResult(directory: directory, manifest: manifest, written: result.written + [CollectManifest.fileName],
                           warnings: result.warnings)
    } catch {
      try? FileManager.default.removeItem(atPath: staged)
      throw error
    }
  }

  private func manifest(_ run: CollectRun, identity: CallerIdentity, accounts: [ListedAccount], started: Date, result: ImportResult)
    async -> CollectManifest
  {
    let notCollected = await run.store.notCollected
    let finished = Date()
    return CollectManifest(
      startedAt: Self.timestamp(started), finishedAt: Self.timestamp(finished), seconds: finished.timeIntervalSince(started),
      callerArn: identity.arn, callerAccount: identity.account, region: options.region, profile: options.profile,
      endpointURL: options.endpointURL, memberRole: options.memberRole, concurrency: options.concurrency,
      calls: await run.log.counts.sorted { $0.key < $1.key }.map { CollectManifest.OperationCount(action: $0.key, calls: $0.value) },
      retries: access.retries(), accounts: accounts.count,
      iamCollected: accounts.map(\.id).filter { notCollected[$0] == nil }.sorted(),
      notCollected: notCollected.sorted { $0.key < $1.key }.map { CollectManifest.NotCollectedAccount(account: $0.key, reason: $0.value) },
      skipped: await run.store.skipped.map { CollectManifest.SkippedPart(what: $0.what, why: $0.why) },
      missing: result.missing, warnings: result.warnings.map(\.formatted))
  }

  private static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }
}

/// What a collection wrote.
public struct CollectResult: Sendable {
  /// The organization directory.
  public var directory: String
  /// Its `collect-manifest.json`.
  public var manifest: CollectManifest
  /// The files written, relative to ``directory``, the kept AWS outputs (`exports/`) included.
  public var written: [String]
  /// The importer's warnings.
  public var warnings: [Diagnostic]
}
