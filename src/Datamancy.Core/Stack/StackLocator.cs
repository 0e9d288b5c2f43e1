using Datamancy.Errors;

namespace Datamancy.Stack;

/// <summary>
/// Finds the stack folder: an explicit path, else $env:DATAMANCY_STACK, else the current folder
/// when it holds a compose file.
/// </summary>
public static class StackLocator
{
    public const string EnvironmentVariable = "DATAMANCY_STACK";

    /// <summary>Compose's own search order for the file in a project folder.</summary>
    public static readonly IReadOnlyList<string> ComposeFileNames = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

    public static string Resolve(string? path, string currentDirectory, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(path))
        {
            var full = Path.GetFullPath(path, currentDirectory);
            return FindComposeFile(full) is not null
                ? full
                : throw NotFound($"The folder '{full}' holds no stack (no {string.Join(", ", ComposeFileNames)}). Run New-DatamancyStack -Path '{full}' to create one, or give the right -Path.", full);
        }

        if (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            var full = Path.GetFullPath(fromEnvironment, currentDirectory);
            return FindComposeFile(full) is not null
                ? full
                : throw NotFound($"$env:{EnvironmentVariable} points to '{full}', which holds no stack. Run New-DatamancyStack -Path '{full}', or fix the variable.", full);
        }

        if (FindComposeFile(currentDirectory) is not null)
        {
            return currentDirectory;
        }

        throw NotFound($"No stack folder was given: -Path is empty, $env:{EnvironmentVariable} is not set and the current folder '{currentDirectory}' holds no docker-compose.yml. Run New-DatamancyStack -Path <folder> to create a stack, then pass -Path or set $env:{EnvironmentVariable}.", currentDirectory);
    }

    public static string? FindComposeFile(string directory) =>
        ComposeFileNames.Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    private static DatamancyException NotFound(string message, string target) =>
        new(ErrorIds.StackNotFound, ErrorKind.ObjectNotFound, message, target);
}
