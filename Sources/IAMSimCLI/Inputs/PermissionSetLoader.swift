import Foundation
import IAMIdentityCenter
import IAMPolicy

/// Finds and reads permission sets: a file, an inline object, or the name of a shipped one in `policies/permission-sets/`.
enum PermissionSetLoader {
  /// Reads a permission set given by file path or by the name of a shipped permission set.
  static func load(_ reference: String, loader: inout PolicyLoader) throws(InputError) -> (PermissionSet, folder: String) {
    var path = reference
    if !FileManager.default.fileExists(atPath: path) {
      guard let shipped = loader.shippedPermissionSet(reference) else {
        throw InputError(.fileUnreadable, "`\(reference)` is neither a permission-set file nor a permission set shipped in policies/permission-sets/")
      }
      path = shipped
    }
    let (permissionSet, _) = try PermissionSet.read(InputFile.readJSON(path), source: path)
    return (permissionSet, (path as NSString).deletingLastPathComponent)
  }
}
