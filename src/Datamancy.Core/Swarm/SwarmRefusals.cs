using Datamancy.Errors;
using Datamancy.Stack.Model;

namespace Datamancy.Swarm;

/// <summary>What a cmdlet says when it cannot work on a stack that runs on a swarm, and why.</summary>
public static class SwarmRefusals
{
    public const string SwarmCmdlets = "Start-DatamancyProfile, Stop-DatamancyProfile, Get-DatamancyService, Get-DatamancyLog, Restart-DatamancyService, Test-DatamancyService, Get-DatamancyNode and Set-DatamancyNode";

    public static DatamancyException ModeUnsupported(string cmdlet, StackDefinition stack) =>
        ModeUnsupported($"{cmdlet} works on", stack, $"In swarm mode use {SwarmCmdlets}; or give -Orchestrator Compose where a cmdlet takes it.", stack.ComposeFile);

    /// <summary><paramref name="what"/> (such as "Test-DatamancySecurity -Live audits") reads one engine's containers; <paramref name="instead"/> says what to do.</summary>
    public static DatamancyException ModeUnsupported(string what, StackDefinition stack, string instead, string target) =>
        new(ErrorIds.SwarmModeUnsupported, ErrorKind.NotImplemented,
            $"{what} the Compose containers of one engine, but this stack runs on a Docker Swarm ({SwarmSettings.BlockKey}: orchestrator: swarm in {stack.ComposeFile}): " +
            $"its tasks are containers the swarm places on any node. {instead}",
            target);

    /// <summary>A Compose-mode parameter that has no meaning for swarm services.</summary>
    public static DatamancyException ParameterUnsupported(string cmdlet, string parameter, string why) =>
        new(ErrorIds.SwarmModeUnsupported, ErrorKind.InvalidArgument, $"{cmdlet} -Orchestrator Swarm does not take -{parameter}: {why}", parameter);
}
