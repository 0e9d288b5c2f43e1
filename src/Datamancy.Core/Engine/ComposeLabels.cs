namespace Datamancy.Engine;

/// <summary>The labels Compose reads (pkg/api/labels.go), so docker compose and its peers see the stack, and Datamancy's own.</summary>
public static class ComposeLabels
{
    public const string Project = "com.docker.compose.project";
    public const string Service = "com.docker.compose.service";
    public const string Version = "com.docker.compose.version";
    public const string WorkingDir = "com.docker.compose.project.working_dir";
    public const string ConfigFiles = "com.docker.compose.project.config_files";
    public const string EnvironmentFile = "com.docker.compose.project.environment_file";
    public const string OneOff = "com.docker.compose.oneoff";
    public const string ContainerNumber = "com.docker.compose.container-number";
    public const string ConfigHash = "com.docker.compose.config-hash";
    public const string DependsOn = "com.docker.compose.depends_on";
    public const string Image = "com.docker.compose.image";
    public const string Network = "com.docker.compose.network";
    public const string Volume = "com.docker.compose.volume";

    /// <summary>Decides Recreate: the hash of the canonical service definition and the image ID.</summary>
    public const string Fingerprint = "io.datamancy.fingerprint";

    /// <summary>The Compose version written for discovery; a `docker compose up` on the project recreates our containers.</summary>
    public const string ComposeVersionValue = "2.29.0";
}
