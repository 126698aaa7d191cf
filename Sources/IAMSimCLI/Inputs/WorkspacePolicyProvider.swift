import Foundation
import IAMIdentityCenter
import IAMPolicy

/// Supplies permission-set policies from the workspace: shipped AWS managed policies, and customer managed
/// policies kept per account as `customer-managed-policies/ACCOUNT/PATH/NAME.json` in the given folders.
struct WorkspacePolicyProvider: PolicyProvider {
  var loader: PolicyLoader
  /// Folders that may hold a `customer-managed-policies` folder, nearest first.
  let folders: [String]

  mutating func awsManagedPolicy(arn: String, kind: PolicyKind) throws(InputError) -> PolicyDocument {
    let library = try loader.managedLibrary()
    guard let entry = library.entry(for: arn) else {
      throw library.notFound(arn)
    }
    return try library.document(entry, kind: kind)
  }

  mutating func customerManagedPolicy(_ reference: CustomerManagedPolicyReference, account: String, kind: PolicyKind)
    throws(InputError) -> PolicyDocument?
  {
    let relative = "customer-managed-policies/\(account)\(reference.path)\(reference.name).json"
    for folder in folders {
      let path = folder + "/" + relative
      if FileManager.default.fileExists(atPath: path) {
        return try PolicyDocument(parsing: InputFile.read(path), name: "\(account):\(reference)", kind: kind, file: path)
      }
    }
    return nil
  }
}
