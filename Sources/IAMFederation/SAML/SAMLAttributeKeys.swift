/// The SAML attributes AWS maps to `saml:` trust-policy context keys (IAM user guide, "Mapping SAML attributes
/// to AWS trust policy context keys"; key names and `[]` list markers from the IAM/STS condition-keys page).
enum SAMLAttributeKeys {
  struct Mapping {
    /// The context key without the `saml:` prefix.
    var key: String
    /// Whether AWS marks the key `[]` (may hold a list).
    var isList: Bool
  }

  /// The mapping for an attribute `Name`, if AWS maps it.
  static func mapping(for attributeName: String) -> Mapping? { table[attributeName] }

  private static let eduPerson = "urn:oid:1.3.6.1.4.1.5923.1.1.1."
  private static let eduOrg = "urn:oid:1.3.6.1.4.1.5923.1.2.1."

  private static let table: [String: Mapping] = {
    var table: [String: Mapping] = [:]
    func map(_ names: [String], _ key: String, list: Bool) {
      for name in names { table[name] = Mapping(key: key, isList: list) }
    }
    map([eduPerson + "1"], "edupersonaffiliation", list: true)
    map([eduPerson + "2"], "edupersonnickname", list: true)
    map([eduPerson + "3"], "edupersonorgdn", list: false)
    map([eduPerson + "4"], "edupersonorgunitdn", list: true)
    map([eduPerson + "5"], "edupersonprimaryaffiliation", list: false)
    map([eduPerson + "6"], "edupersonprincipalname", list: false)
    map([eduPerson + "7"], "edupersonentitlement", list: true)
    map([eduPerson + "8"], "edupersonprimaryorgunitdn", list: false)
    map([eduPerson + "9"], "edupersonscopedaffiliation", list: true)
    map([eduPerson + "10"], "edupersontargetedid", list: true)
    map([eduPerson + "11"], "edupersonassurance", list: true)
    map([eduOrg + "2"], "eduorghomepageuri", list: true)
    map([eduOrg + "3"], "eduorgidentityauthnpolicyuri", list: true)
    map([eduOrg + "4"], "eduorglegalname", list: true)
    map([eduOrg + "5"], "eduorgsuperioruri", list: true)
    map([eduOrg + "6"], "eduorgwhitepagesuri", list: true)
    map(["urn:oid:2.5.4.3"], "cn", list: true)
    // Active Directory claim types (what Entra ID and AD FS send).
    map(["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"], "name", list: true)
    map(["http://schemas.xmlsoap.org/claims/CommonName", "2.5.4.3"], "commonName", list: true)
    map(
      ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "2.5.4.42", "2.4.5.42"], "givenName",
      list: true)
    map(["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "2.5.4.4"], "surname", list: true)
    map(
      ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "0.9.2342.19200300100.1.3"], "mail",
      list: true)
    map(["http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid"], "primaryGroupSID", list: true)
    // X.500 attributes.
    map(["2.5.4.45"], "x500UniqueIdentifier", list: true)
    map(["0.9.2342.19200300100.1.1"], "uid", list: true)
    map(["0.9.2342.19200300100.1.45", "0.9.2342.19200300.100.1.45"], "organizationStatus", list: true)
    return table
  }()
}
