namespace Datamancy.Engine;

/// <summary>Image references as the engine reads them: name[:tag][@digest].</summary>
public static class ImageReference
{
    /// <summary>The name and the tag (or digest) to pull: "latest" when neither is given.</summary>
    public static (string Name, string Tag) SplitForPull(string image)
    {
        var at = image.IndexOf('@');
        if (at >= 0)
        {
            return (image[..at], image[(at + 1)..]);
        }

        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }
}
