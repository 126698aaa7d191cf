import Foundation

/// What the analysis of a SAML response needs beyond the document itself.
public struct SAMLAnalysisOptions: Sendable, Hashable {
  /// The moment timestamps are compared with; pass a fixed date for reproducible reports.
  public var now: Date
  /// The role to federate into when the `Role` attribute offers several; default: the first.
  public var roleArn: String?
  /// The account that owns the IAM SAML provider, for `saml:doc` and `saml:namequalifier`;
  /// default: the account of the chosen role's provider ARN.
  public var accountID: String?
  /// The SAML provider's friendly name; default: the name in the chosen role's provider ARN.
  public var providerName: String?
  /// The ACS URL the response must name exactly (an Identity Center instance's, or an IAM sign-in URL); default:
  /// any URL AWS documents.
  public var acsURL: String?

  /// Creates options.
  public init(
    now: Date = Date(), roleArn: String? = nil, accountID: String? = nil, providerName: String? = nil,
    acsURL: String? = nil
  ) {
    self.now = now
    self.roleArn = roleArn
    self.accountID = accountID
    self.providerName = providerName
    self.acsURL = acsURL
  }
}
