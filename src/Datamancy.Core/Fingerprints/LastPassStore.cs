using System.Reflection;
using System.Text;
using System.Text.Json;
using Datamancy.Errors;

namespace Datamancy.Fingerprints;

/// <summary>Reads and writes last_pass.json (see <see cref="LastPassRecord"/>), atomically.</summary>
public static class LastPassStore
{
    public const string FileName = "last_pass.json";

    /// <summary>The module version written into records: the assembly's informational version without build metadata.</summary>
    public static string ModuleVersion { get; } =
        (typeof(LastPassStore).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>&lt;stack&gt;/data/tests/&lt;service&gt;/last_pass.json.</summary>
    public static string PathOf(string stackDirectory, string service) => Path.Combine(stackDirectory, "data", "tests", service, FileName);

    /// <summary>The record, or null when the file does not exist; throws LastPassInvalid when it cannot be used.</summary>
    public static LastPassRecord? Read(string path, string service)
    {
        string text;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, $"it cannot be read ({exception.Message})", exception);
        }

        try
        {
            return Parse(text, path, service);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw Invalid(path, $"it is not a valid record ({exception.Message.Split('\n')[0]})", exception);
        }
    }

    public static LastPassRecord Parse(string text, string path, string service)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var version = root.GetProperty("schemaVersion").GetInt32();
        if (version != LastPassRecord.SchemaVersion)
        {
            throw Invalid(path, version > LastPassRecord.SchemaVersion
                ? $"its schemaVersion {version} is newer than this module reads ({LastPassRecord.SchemaVersion}); update the module"
                : $"its schemaVersion {version} is unknown");
        }

        var recorded = root.GetProperty("service").GetString()!;
        if (recorded != service)
        {
            throw Invalid(path, $"it records the service '{recorded}', not '{service}'");
        }

        var parts = root.GetProperty("parts");
        var record = new LastPassRecord(
            recorded,
            new FingerprintParts(
                parts.GetProperty("imageDigest").GetString()!,
                parts.TryGetProperty("repoDigest", out var repo) ? repo.GetString() ?? string.Empty : string.Empty,
                parts.GetProperty("configHash").GetString()!,
                parts.GetProperty("envHash").GetString()!,
                parts.GetProperty("composeHash").GetString()!),
            root.GetProperty("passedAt").GetDateTimeOffset(),
            root.TryGetProperty("moduleVersion", out var module) ? module.GetString() ?? string.Empty : string.Empty,
            root.TryGetProperty("checks", out var checks) ? checks.EnumerateArray().Select(c => c.GetString()!).ToList() : []);
        if (root.TryGetProperty("fingerprint", out var fingerprint) && fingerprint.GetString() != record.Fingerprint)
        {
            throw Invalid(path, "its fingerprint does not match its parts (edited by hand?)");
        }

        return record;
    }

    public static string Serialize(LastPassRecord record)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", LastPassRecord.SchemaVersion);
            writer.WriteString("service", record.Service);
            writer.WriteString("fingerprint", record.Fingerprint);
            writer.WriteStartObject("parts");
            writer.WriteString("imageDigest", record.Parts.ImageDigest);
            writer.WriteString("repoDigest", record.Parts.RepoDigest);
            writer.WriteString("configHash", record.Parts.ConfigHash);
            writer.WriteString("envHash", record.Parts.EnvHash);
            writer.WriteString("composeHash", record.Parts.ComposeHash);
            writer.WriteEndObject();
            writer.WriteString("passedAt", record.PassedAt);
            writer.WriteString("moduleVersion", record.ModuleVersion);
            writer.WriteStartArray("checks");
            foreach (var check in record.Checks)
            {
                writer.WriteStringValue(check);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Writes the record through a temporary file and a rename, so a reader never sees half a file.</summary>
    public static void Write(string path, LastPassRecord record)
    {
        var directory = Path.GetDirectoryName(path)!;
        var temporary = Path.Combine(directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(temporary, Serialize(record), new UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DatamancyException(ErrorIds.FileUnwritable, ErrorKind.PermissionDenied, $"Cannot write '{path}': {exception.Message} Make the stack's data/tests folder writable.", path, exception);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static DatamancyException Invalid(string path, string reason, Exception? inner = null) =>
        new(ErrorIds.LastPassInvalid, ErrorKind.InvalidData,
            $"'{path}' cannot be used: {reason}. Delete it; the service's next passing Test-DatamancyService writes it again.", path, inner);
}
