using System.Management.Automation;
using Datamancy.Commands.Infrastructure;
using Datamancy.Stack;

namespace Datamancy.Commands;

/// <summary>Loads and validates the stack folder and describes it.</summary>
[Cmdlet(VerbsCommon.Get, "DatamancyStack")]
[OutputType(typeof(StackInfo))]
public sealed class GetDatamancyStackCommand : StackCmdlet
{
    protected override void Process() => WriteObject(StackViews.ToStackInfo(LoadStack()));
}
