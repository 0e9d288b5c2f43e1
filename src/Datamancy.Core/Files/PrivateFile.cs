namespace Datamancy.Files;

/// <summary>Writes files that hold secrets: mode 600 from the moment they exist, replaced atomically.</summary>
public static class PrivateFile
{
    public static void WriteAllText(string path, string content) => AtomicFile.WriteAllText(path, content, AtomicFile.Private);
}
