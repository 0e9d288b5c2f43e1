namespace Datamancy.Yaml;

/// <summary>A position in a source file, 1-based, for error messages that point at the problem.</summary>
public readonly record struct SourceMark(string File, long Line, long Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
