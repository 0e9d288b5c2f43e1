namespace Datamancy.Errors;

/// <summary>Stable error ids. Renaming one is a breaking change: tests assert them.</summary>
public static class ErrorIds
{
    public const string StackNotFound = "StackNotFound";
    public const string StackExists = "StackExists";
    public const string InvalidProjectName = "InvalidProjectName";
    public const string BundledConfigsMissing = "BundledConfigsMissing";
    public const string YamlSyntax = "YamlSyntax";
    public const string UnknownKey = "UnknownKey";
    public const string UnsupportedKey = "UnsupportedKey";
    public const string InvalidValue = "InvalidValue";
    public const string DependencyCycle = "DependencyCycle";
    public const string VariableRequired = "VariableRequired";
    public const string InvalidInterpolation = "InvalidInterpolation";
    public const string UndefinedDependency = "UndefinedDependency";
    public const string ProfileNotFound = "ProfileNotFound";
    public const string ServiceNotFound = "ServiceNotFound";
    public const string EnvFileSyntax = "EnvFileSyntax";
    public const string CaddyfileSyntax = "CaddyfileSyntax";
    public const string DestinationExists = "DestinationExists";

    public const string EngineUnreachable = "EngineUnreachable";
    public const string ImageMissing = "ImageMissing";
    public const string ServiceUnhealthy = "ServiceUnhealthy";
    public const string ServiceFailed = "ServiceFailed";
    public const string DependencyFailed = "DependencyFailed";
    public const string ContainerNotFound = "ContainerNotFound";
    public const string ContainerNotRunning = "ContainerNotRunning";
    public const string CommandFailed = "CommandFailed";
    public const string EngineError = "EngineError";
    public const string EngineObjectNotFound = "EngineObjectNotFound";
    public const string EngineConflict = "EngineConflict";
    public const string RegistryCredentialsInvalid = "RegistryCredentialsInvalid";
    public const string RegistryUnavailable = "RegistryUnavailable";
    public const string UpdateFailed = "UpdateFailed";
    public const string UpdateRolledBack = "UpdateRolledBack";
    public const string ServiceExcluded = "ServiceExcluded";

    public const string SwarmKeyUnsupported = "SwarmKeyUnsupported";
    public const string SwarmNotManager = "SwarmNotManager";
    public const string SwarmImageNotInRegistry = "SwarmImageNotInRegistry";
    public const string SwarmModeUnsupported = "SwarmModeUnsupported";
    public const string SwarmNodeNotFound = "SwarmNodeNotFound";
    public const string SwarmRolledBack = "SwarmRolledBack";
    public const string SwarmTaskFailed = "SwarmTaskFailed";
    public const string SwarmConfigTooLarge = "SwarmConfigTooLarge";
    public const string SwarmSecretInStore = "SwarmSecretInStore";
    public const string InvalidStackSetting = "InvalidStackSetting";

    public const string BackupCountsInvalid = "BackupCountsInvalid";

    public const string DirectoryUnreachable = "DirectoryUnreachable";
    public const string DirectoryAuthenticationFailed = "DirectoryAuthenticationFailed";
    public const string DirectoryTlsFailed = "DirectoryTlsFailed";
    public const string DirectoryAccessDenied = "DirectoryAccessDenied";
    public const string DirectoryError = "DirectoryError";
    public const string InvalidDirectoryServer = "InvalidDirectoryServer";
    public const string DirectoryServerNotPublished = "DirectoryServerNotPublished";
    public const string DirectoryPasswordMissing = "DirectoryPasswordMissing";
    public const string CaCertificateNotFound = "CaCertificateNotFound";
    public const string AutheliaConfigMissing = "AutheliaConfigMissing";
    public const string UserNotFound = "UserNotFound";
    public const string UserExists = "UserExists";
    public const string GroupNotFound = "GroupNotFound";
    public const string InvalidUserName = "InvalidUserName";
    public const string InvalidGroupName = "InvalidGroupName";
    public const string InvalidMailAddress = "InvalidMailAddress";
    public const string PasswordTooWeak = "PasswordTooWeak";
    public const string HostnameNotFound = "HostnameNotFound";

    public const string RuleNotFound = "RuleNotFound";
    public const string EnvFileMissing = "EnvFileMissing";
    public const string SecretNotFound = "SecretNotFound";
    public const string SecretPinned = "SecretPinned";
    public const string SecretTargetUnavailable = "SecretTargetUnavailable";
    public const string SecretRotationFailed = "SecretRotationFailed";
    public const string SecretOutOfSync = "SecretOutOfSync";
    public const string ConfigUnreadable = "ConfigUnreadable";
    public const string LastPassInvalid = "LastPassInvalid";
    public const string InvalidAddress = "InvalidAddress";
    public const string InvalidBrowserEndpoint = "InvalidBrowserEndpoint";
    public const string BrowserUnreachable = "BrowserUnreachable";
    public const string InvalidDomain = "InvalidDomain";
    public const string CertificateExists = "CertificateExists";
    public const string FileUnwritable = "FileUnwritable";

    public const string BackupFailed = "BackupFailed";
    public const string BackupRepositoryUnavailable = "BackupRepositoryUnavailable";
    public const string BackupSnapshotNotFound = "BackupSnapshotNotFound";
    public const string BackupVerifyFailed = "BackupVerifyFailed";
    public const string BackupToolFailed = "BackupToolFailed";
    public const string BackupTargetNotFound = "BackupTargetNotFound";
    public const string BackupTargetUnavailable = "BackupTargetUnavailable";
    public const string BackupPasswordMissing = "BackupPasswordMissing";
    public const string RestoreWouldOverwrite = "RestoreWouldOverwrite";
    public const string RestoreLeftoverFound = "RestoreLeftoverFound";
    public const string InvalidSchedule = "InvalidSchedule";
    public const string BackupRecordInvalid = "BackupRecordInvalid";
    public const string ScheduleNotFound = "ScheduleNotFound";
    public const string ScheduleActivationFailed = "ScheduleActivationFailed";
    public const string RecoveryFolderExists = "RecoveryFolderExists";
    public const string RecoveryProjectExists = "RecoveryProjectExists";
    public const string RecoveryProjectAmbiguous = "RecoveryProjectAmbiguous";
    public const string RecoveryNoStackFolder = "RecoveryNoStackFolder";
    public const string RecoveryEnvMissing = "RecoveryEnvMissing";
    public const string RecoveryCheckFailed = "RecoveryCheckFailed";
}
