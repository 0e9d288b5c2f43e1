using Datamancy.Errors;

namespace Datamancy.Backup.Restic;

/// <summary>The module's key/value tags as restic tags "key=value" (restic splits --tag on commas, so a value may not hold one).</summary>
internal static class ResticTags
{
    public static IEnumerable<string> Format(IReadOnlyDictionary<string, string> tags)
    {
        foreach (var (key, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (key.Contains('=') || key.Contains(',') || value.Contains(','))
            {
                throw new DatamancyException(ErrorIds.InvalidValue, ErrorKind.InvalidArgument,
                    $"The backup tag '{key}' cannot be stored by restic: tag keys may not contain '=' or ',' and values may not contain ','.");
            }

            yield return $"{key}={value}";
        }
    }

    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> tags)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            var equals = tag.IndexOf('=');
            if (equals > 0)
            {
                parsed[tag[..equals]] = tag[(equals + 1)..];
            }
        }

        return parsed;
    }
}
