using Datamancy.Errors;
using Datamancy.Files;

namespace Datamancy.Stack;

/// <summary>Where Export-DatamancyStack writes: checked before anything is resolved or written, then written whole.</summary>
public static class ExportDestination
{
    /// <summary>Throws when the path is a folder, its folder is missing, or a file there would be replaced without <paramref name="force"/>.</summary>
    public static void Check(string path, bool force)
    {
        if (Directory.Exists(path))
        {
            throw new DatamancyException(ErrorIds.FileUnwritable, ErrorKind.InvalidArgument,
                $"'{path}' is a folder; give -Destination a file name, such as '{Path.Combine(path, "compose.export.yml")}'.", path);
        }

        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            throw new DatamancyException(ErrorIds.FileUnwritable, ErrorKind.ObjectNotFound,
                $"The folder '{folder}' does not exist; create it first, or give -Destination a file in an existing folder.", path);
        }

        if (File.Exists(path) && !force)
        {
            throw new DatamancyException(ErrorIds.DestinationExists, ErrorKind.ResourceExists,
                $"'{path}' already exists; use -Force to replace it, or choose another -Destination.", path);
        }
    }

    /// <summary>Writes the text; mode 600 when it holds secrets, the default mode otherwise.</summary>
    public static FileInfo Write(string path, string text, bool holdsSecrets)
    {
        try
        {
            if (holdsSecrets)
            {
                PrivateFile.WriteAllText(path, text);
            }
            else
            {
                File.WriteAllText(path, text);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DatamancyException(ErrorIds.FileUnwritable, ErrorKind.PermissionDenied,
                $"Cannot write '{path}': {exception.Message} Choose a -Destination you can write to.", path, exception);
        }

        return new FileInfo(path);
    }
}
