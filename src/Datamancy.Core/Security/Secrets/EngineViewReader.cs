using System.Net;
using Datamancy.Engine;
using Datamancy.Errors;
using Datamancy.Stack.Model;
using Docker.DotNet;

namespace Datamancy.Security.Secrets;

/// <summary>Reads what rotation must know from the engine: the project's containers, and which data volumes of the target services exist.</summary>
public static class EngineViewReader
{
    public static async Task<EngineView> ReadAsync(DockerEngine engine, StackDefinition stack, IEnumerable<string> services, CancellationToken cancellationToken)
    {
        try
        {
            var containers = await ContainerObserver.ListAsync(engine, stack.ProjectName, cancellationToken).ConfigureAwait(false);
            var volumes = new HashSet<string>(StringComparer.Ordinal);
            var names = services.Select(stack.FindService).OfType<ServiceDefinition>()
                .SelectMany(s => s.Volumes.Where(v => v.Type == "volume" && v.Source is not null))
                .Select(v => stack.Volumes.FirstOrDefault(d => d.Key == v.Source)?.Name)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal);
            foreach (var name in names)
            {
                try
                {
                    await engine.Client.Volumes.InspectAsync(name, cancellationToken).ConfigureAwait(false);
                    volumes.Add(name);
                }
                catch (DockerApiException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
                {
                    // No such volume: the server has never stored anything.
                }
            }

            return new EngineView(containers, volumes, null);
        }
        catch (DockerApiException exception)
        {
            throw new DatamancyException(ErrorIds.EngineError, ErrorKind.InvalidOperation,
                $"The engine at {engine.Endpoint} could not list the containers of project '{stack.ProjectName}': {exception.Message.Split('\n')[0]}", stack.ProjectName, exception);
        }
    }
}
