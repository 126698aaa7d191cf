import IAMFederation

extension SAMLReport {
  /// The session as the caller's requests see it: for a response addressed to Identity Center, the `saml:` keys
  /// describe the IdP-to-Identity-Center exchange, not the permission-set session, so they are left out (F-8).
  var sessionForPolicies: FederatedSession {
    var session = self.session
    if destination == .identityCenter { session.sessionContext = [] }
    return session
  }
}
