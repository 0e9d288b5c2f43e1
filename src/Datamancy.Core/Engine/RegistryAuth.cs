namespace Datamancy.Engine;

/// <summary>
/// Credentials for one registry, as the docker CLI keeps them in its config file. A class, not a
/// record, so that ToString and a debugger view never show the password.
/// </summary>
public sealed class RegistryAuth(string serverAddress, string userName, string password, string? identityToken = null)
{
    public string ServerAddress { get; } = serverAddress;

    public string UserName { get; } = userName;

    internal string Password { get; } = password;

    internal string? IdentityToken { get; } = identityToken;

    public override string ToString() => $"{UserName}@{ServerAddress}";
}
