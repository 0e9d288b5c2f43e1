using System.IO.Enumeration;
using System.Text;
using Datamancy.Errors;

namespace Datamancy.Fingerprints;

/// <summary>One file of a config folder: its name as find prints it ("./relative/path", UTF-8) and where it is.</summary>
public readonly record struct TreeFile(byte[] Name, string FullPath, long Length);

/// <summary>
/// The files `find . -type f -print0 | LC_ALL=C sort -z` lists in a folder: regular files at any
/// depth, hidden ones included, symbolic links neither listed nor followed, sorted by the bytes of
/// their names.
/// </summary>
public static class ConfigTreeFiles
{
    private static readonly EnumerationOptions Options = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = 0, // find lists hidden files too
        IgnoreInaccessible = false, // a folder find cannot read is an error, not a smaller hash
        ReturnSpecialDirectories = false,
        MatchType = MatchType.Simple,
    };

    /// <summary>The sorted files; empty when the folder does not exist.</summary>
    public static TreeFile[] List(string folder)
    {
        if (!Directory.Exists(folder))
        {
            if (File.Exists(folder))
            {
                throw new DatamancyException(ErrorIds.ConfigUnreadable, ErrorKind.InvalidData,
                    $"'{folder}' is a file, but a service's configs are a folder; move it into a folder of that name.", folder);
            }

            return [];
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var enumerable = new FileSystemEnumerable<TreeFile>(root, Transform, Options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                !entry.IsDirectory && (entry.Attributes & FileAttributes.ReparsePoint) == 0
                && (entry.Length > 0 || UnixFileType.IsRegular(entry.ToFullPath())),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        try
        {
            var files = enumerable.ToArray();
            Array.Sort(files, (a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
            return files;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(folder, exception);
        }
    }

    internal static DatamancyException Unreadable(string path, Exception exception) => exception is FileNotFoundException or DirectoryNotFoundException
        ? new(ErrorIds.ConfigUnreadable, ErrorKind.ObjectNotFound,
            $"'{path}' vanished while the service's configs were hashed, or its name is not valid UTF-8 (names are read as UTF-8); rename it or run the command again.", path, exception)
        : new(ErrorIds.ConfigUnreadable, ErrorKind.PermissionDenied,
            $"Cannot read '{path}' to hash the service's configs: {exception.Message} Make it readable by the user running Datamancy.", path, exception);

    private static TreeFile Transform(ref FileSystemEntry entry)
    {
        // "./" + the path below the root with '/' separators, as find prints it.
        var directory = entry.Directory[entry.RootDirectory.Length..].TrimStart(Path.DirectorySeparatorChar);
        var relative = directory.Length == 0 ? $"./{entry.FileName}" : $"./{directory}/{entry.FileName}";
        if (Path.DirectorySeparatorChar != '/')
        {
            relative = relative.Replace(Path.DirectorySeparatorChar, '/');
        }

        return new TreeFile(Encoding.UTF8.GetBytes(relative), entry.ToFullPath(), entry.Length);
    }
}
