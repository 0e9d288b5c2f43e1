namespace Datamancy;

/// <summary>How bad a security finding is; ordered, so findings sort and compare by it.</summary>
public enum SecuritySeverity
{
    Info = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}
