import Foundation
import IAMEvaluation

/// The compiled policies of one session, one per account whose resources it asks about (the RCP levels differ),
/// each compiled once and shared by every thread.
public final class SessionAuthorizers: @unchecked Sendable {
  public let organization: Organization
  public let session: OrganizationSession
  /// The resource-based policy of the requested resource, if given.
  public let resourcePolicy: PolicyDocument?
  private let lock = NSLock()
  private var byOwner: [String: Authorizer] = [:]

  public init(organization: Organization, session: OrganizationSession, resourcePolicy: PolicyDocument? = nil) {
    self.organization = organization
    self.session = session
    self.resourcePolicy = resourcePolicy
  }

  /// The authorizer for a request's resource.
  public func authorizer(resource: String, resourceAccount: String?) throws(PolicySetError) -> Authorizer {
    let owner = Organization.resourceOwner(resource: resource, resourceAccount: resourceAccount, callerAccount: session.caller.account)
    if let found = lock.withLock({ byOwner[owner] }) { return found }
    let authorizer = try Authorizer(
      organization.policySet(for: session, resource: resource, resourceAccount: resourceAccount, resourcePolicy: resourcePolicy))
    lock.withLock { byOwner[owner] = authorizer }
    return authorizer
  }
}
