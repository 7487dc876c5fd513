/// A provider configuration that cannot work (the CLI maps it to exit 3). Never holds a key.
public struct ProviderConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// `missing_api_key`, `unknown_provider`, `invalid_base_url`, `key_in_config_file`, `invalid_config_file`, `missing_model`.
    public var code: String
    /// What is wrong and how to fix it.
    public var message: String

    /// Creates an error.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
