using Datamancy.Stack.Model;
using Datamancy.Swarm;

namespace Datamancy.Security.Audit;

/// <summary>
/// A stack that runs on a swarm (x-datamancy: orchestrator: swarm): a .env secret that reaches a
/// service as an environment value, not as a /run/secrets file, sits in the service's spec on every
/// manager and in docker inspect of its tasks. Messages name the key and the variable, never the value.
/// </summary>
internal static class SwarmSecretRules
{
    public static void Check(StackDefinition stack, FindingSink sink)
    {
        if (SwarmSettings.From(stack).Orchestrator != Orchestrator.Swarm)
        {
            return;
        }

        foreach (var use in SwarmSecrets.Read(stack).Uses.Where(u => !u.AsFile))
        {
            var service = stack.FindService(use.Service)!;
            sink.Add(SecurityRules.SwarmSecretInEnvironment, use.Service,
                $"On the swarm, {use.EnvKey} of {use.Service} carries the secret {use.Secret.Variable} as an environment value (in the service spec and every task's inspect), not as the file {use.Secret.Target}.",
                AuditSources.Compose, service.Mark.ToString(), $"swarm-env:{use.Service}:{use.EnvKey}", variables: [use.Secret.Variable]);
        }
    }
}
