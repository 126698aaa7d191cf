public enum IAMSimCLIPlaceholder {}
