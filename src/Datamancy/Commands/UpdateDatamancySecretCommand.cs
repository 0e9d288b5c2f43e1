using System.Management.Automation;
using Datamancy.Commands.Completers;
using Datamancy.Commands.Infrastructure;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Security.Secrets;
using Datamancy.Stack;
using Datamancy.Stack.Model;
using Datamancy.Reporting;
using Datamancy.Swarm;

namespace Datamancy.Commands;

/// <summary>
/// Regenerates secrets in .env and, for the MariaDB users, PostgreSQL roles and LDAP admin that
/// keep their own copy, changes them there too. Validates every secret before changing any.
/// </summary>
[Cmdlet(VerbsData.Update, "DatamancySecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SecretUpdate))]
public sealed class UpdateDatamancySecretCommand : EngineCmdlet
{
    private readonly List<string> _names = [];

    /// <summary>The .env variables to regenerate; wildcards allowed; all secrets when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Variable")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(SecretNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Also regenerate secrets that a new value would break (encryption keys, passwords apps copy at first start).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override string Activity => "Updating Datamancy secrets";

    // A swarm stack (x-datamancy: orchestrator: swarm) rotates the secrets no server keeps, and rolls the services that read them.
    protected override bool SupportsSwarm => true;

    protected override void Process() => _names.AddRange(Name ?? []);

    protected override void End()
    {
        var stack = LoadStack();
        var envPath = System.IO.Path.Combine(stack.Directory, StackLoader.EnvFileName);
        if (!File.Exists(envPath))
        {
            throw new DatamancyException(ErrorIds.EnvFileMissing, ErrorKind.ObjectNotFound,
                $"The stack in {stack.Directory} has no .env, so it has no secrets to update; New-DatamancyStack -Path '{stack.Directory}' -Force writes one.", envPath);
        }

        var env = new EnvFileState(envPath);
        var raw = RawCompose.Read(stack.ComposeFile);
        var plans = LeaveOutPinned(Select(env, raw).Select(name => SecretPlanner.Plan(stack, raw, name)).ToList());
        var swarm = SwarmSettings.From(stack).Orchestrator == Orchestrator.Swarm;
        if (swarm)
        {
            plans = RefuseStoredOnSwarm(plans);
        }

        if (plans.Count == 0)
        {
            return;
        }

        var engineReady = TryReadEngine(stack, plans, out var view);
        if (!engineReady && IsDryRun)
        {
            plans = PreviewUnchecked(plans, view);
        }

        var checkedPlans = engineReady
            ? Run((engine, reporter) => SecretRotator.For(engine, reporter).ValidateAllAsync(stack, plans, env, view, Force, Cancellation))
            : Wait(token => SecretRotator.For(null, Reporter).ValidateAllAsync(stack, plans, env, view, Force, token));

        foreach (var ready in checkedPlans)
        {
            if (ready.Error is not null)
            {
                if (!IsDryRun)
                {
                    WriteObject(new SecretUpdate(ready.Plan.Name, [.. ready.Plan.Services], [], SecretUpdateStatus.Failed, ready.Error.Message, env.Backup ?? string.Empty, stack.Directory));
                }

                WriteCoreError(ready.Error);
                continue;
            }

            if (!ShouldProcess(ready.Plan.Name, Describe(ready)))
            {
                continue;
            }

            var running = ready.Targets.Any(t => t.ContainerId is not null);
            var (update, error) = running
                ? Run((engine, reporter) => SecretRotator.For(engine, reporter).RotateAsync(stack, ready, env, Cancellation))
                : Wait(token => SecretRotator.For(null, Reporter).RotateAsync(stack, ready, env, token));
            WriteObject(update);
            if (error is not null)
            {
                WriteCoreError(error);
            }
            else if (swarm)
            {
                RollOut(stack.Directory, ready.Plan);
            }
        }
    }

    private List<SecretPlan> RefuseStoredOnSwarm(List<SecretPlan> plans)
    {
        foreach (var refusal in plans.Select(p => SwarmSecretRollout.Refusal(p.Name, p.Targets.Select(t => t.ToString()).ToList())).OfType<DatamancyException>())
        {
            WriteCoreError(refusal);
        }

        return plans.Where(p => p.Targets.Count == 0).ToList();
    }

    // .env holds the new value now: the stack is read again (not the cached one) so that the services' specs name the new secret version.
    private void RollOut(string directory, SecretPlan plan)
    {
        var fresh = Loader.Load(directory);
        var results = Run((engine, reporter) => SwarmSecretRollout.RolloutAsync(engine, reporter, fresh, plan.Services, Cancellation));
        foreach (var result in results)
        {
            if (result.Succeeded)
            {
                WriteVerbose($"Swarm service {result.Name}: {result.Action} with the new {plan.Name}.");
            }
            else
            {
                WriteCoreError(new DatamancyException(result.ErrorId.Length > 0 ? result.ErrorId : ErrorIds.SecretRotationFailed, ErrorKind.InvalidOperation,
                    $"{plan.Name} is new in .env, but swarm service {result.Name} did not take it: {result.Error} Run Start-DatamancyProfile -Orchestrator Swarm once the cause is fixed.",
                    result.Name));
            }
        }
    }

    // The secret variables of .env that -Name selects (all of them without -Name); a plain name that matches none is an error.
    private IReadOnlyList<string> Select(EnvFileState env, RawCompose raw)
    {
        var secrets = SecretNames.SecretVariables(env.Values.Keys, raw);
        var filter = new NameFilter(_names);
        foreach (var missing in filter.Unmatched(secrets))
        {
            var why = env.Values.ContainsKey(missing)
                ? $"'{missing}' in .env is not a secret: only variables whose names end in _PASSWORD, _SECRET, _KEY or _TOKEN, or that feed a password of the compose file, are regenerated."
                : $"'{missing}' is not set in {env.FilePath}; Get-Content it for the names (the secrets end in _PASSWORD, _SECRET, _KEY or _TOKEN).";
            WriteCoreError(new DatamancyException(ErrorIds.SecretNotFound, ErrorKind.ObjectNotFound, why, missing));
        }

        return secrets.Where(filter.Matches).ToList();
    }

    // -WhatIf changes nothing, so without an engine the copies that servers keep are left unchecked (one
    // warning) rather than refused; the real run refuses them until the engine answers. Returns the rest.
    private List<SecretPlan> PreviewUnchecked(List<SecretPlan> plans, EngineView view)
    {
        var kept = plans.Where(p => p.Targets.Count > 0).ToList();
        if (kept.Count == 0)
        {
            return plans;
        }

        WriteWarning($"{view.Unreachable} Not validated, because servers keep a copy: {string.Join(", ", kept.Select(p => p.Name))}; a real run refuses them until the engine answers.");
        foreach (var plan in kept)
        {
            ShouldProcess(plan.Name, $"Regenerate the secret in .env and change it in {string.Join(", ", plan.Targets)} (not validated: no engine answered)"
                + (plan.Services.Count > 0 ? $"; read by {string.Join(", ", plan.Services)}" : string.Empty));
        }

        return plans.Except(kept).ToList();
    }

    // A wildcard (or no -Name) selects the secrets that are safe to regenerate, as Get-ChildItem *
    // leaves hidden files out: a pinned one is refused only when asked for by its exact name without -Force.
    private List<SecretPlan> LeaveOutPinned(List<SecretPlan> plans)
    {
        if (Force)
        {
            return plans;
        }

        var named = _names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var left = plans.Where(p => p.PinnedReason is not null && !named.Contains(p.Name)).ToList();
        if (left.Count > 0)
        {
            WriteVerbose($"Left out {left.Count} pinned secret(s) that a new value would break: {string.Join(", ", left.Select(p => p.Name))}. Name one and add -Force to regenerate it.");
        }

        return plans.Except(left).ToList();
    }

    // The engine is asked only when a selected secret also lives in a server; its absence fails those secrets, not the others.
    private bool TryReadEngine(StackDefinition stack, IReadOnlyList<SecretPlan> plans, out EngineView view)
    {
        view = new EngineView(null, new HashSet<string>(), "not asked");
        var services = plans.SelectMany(p => p.Targets).Select(t => t.Service).Distinct().ToList();
        if (services.Count == 0)
        {
            return false;
        }

        try
        {
            view = Run((engine, _) => EngineViewReader.ReadAsync(engine, stack, services, Cancellation));
            return true;
        }
        catch (DatamancyException exception) when (exception.ErrorId is ErrorIds.EngineUnreachable or ErrorIds.EngineError)
        {
            view = new EngineView(null, new HashSet<string>(), exception.Message);
            return false;
        }
    }

    // What -WhatIf and -Confirm show: where the value goes, never the value.
    private static string Describe(SecretReadiness ready)
    {
        var running = ready.Targets.Where(t => t.ContainerId is not null).Select(t => t.Target.ToString()).ToList();
        var fresh = ready.Targets.Where(t => t.ContainerId is null).Select(t => t.Target.Service).ToList();
        return "Regenerate the secret in .env"
            + (running.Count > 0 ? $" and change it in {string.Join(", ", running)}" : string.Empty)
            + (fresh.Count > 0 ? $" ({string.Join(", ", fresh)} has no data yet)" : string.Empty)
            + (ready.Plan.Services.Count > 0 ? $"; read by {string.Join(", ", ready.Plan.Services)}" : string.Empty);
    }
}
