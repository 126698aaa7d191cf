// The one piece every fuzz target shares: handing the program's arguments and its test function to libFuzzer.
//
// SwiftPM links each executable with `--defsym main=<module>_main`, so a target cannot let libFuzzer provide
// `main`; each exports `<module>_main` and calls ``runFuzzer(_:_:_:)``, which enters libFuzzer's own driver.

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// Runs libFuzzer with the program's command line on `test`, the target's `LLVMFuzzerTestOneInput`.
public func runFuzzer(
  _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
  _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt {
  var argc = argc
  var argv = argv
  return LLVMFuzzerRunDriver(&argc, &argv, test)
}
