using System.Management.Automation;

namespace Datamancy.Commands.Infrastructure;

/// <summary>
/// Lets a DateTime parameter also take a TimeSpan, read as that long ago (-Since (New-TimeSpan -Minutes 10)),
/// as `docker logs --since 10m` does. Anything else is left to PowerShell's own conversion to DateTime.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class PointInTimeAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) switch
        {
            TimeSpan { Ticks: < 0 } span => throw new ArgumentTransformationMetadataException(
                $"The time span {span} is negative; give how long ago as a positive time span, such as (New-TimeSpan -Minutes 10), or a point in time."),
            TimeSpan span => DateTime.Now - span,
            _ => inputData,
        };
}
