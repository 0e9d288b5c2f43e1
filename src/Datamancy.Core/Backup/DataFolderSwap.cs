using Datamancy.Engine;
using Datamancy.Errors;
using Docker.DotNet.Models;

namespace Datamancy.Backup;

/// <summary>
/// The data folder of a stopped server, set aside while a restored file replaces it: its entries
/// move into <see cref="AsideName"/> in the same folder (a rename on the same volume, no copy), so a
/// restore that fails puts them back and nothing is lost; only a restore that succeeded discards them.
/// Each step is a throwaway container of the tool image with the server's volumes and no network.
/// </summary>
public sealed class DataFolderSwap(BackupSession session, string serverId, string folder)
{
    public const string AsideName = ".datamancy-restore-previous";

    // An aside folder already there is the only copy of a server's data that an interrupted restore
    // left behind: never overwritten, the user decides.
    private const int AsideExists = 3;

    private const string MoveAsideScript = """
        [ -e "$1/$2" ] && exit 3
        mkdir "$1/$2" && find "$1" -mindepth 1 -maxdepth 1 ! -name "$2" -exec mv {} "$1/$2/" \; && [ -z "$(find "$1" -mindepth 1 -maxdepth 1 ! -name "$2")" ]
        """;

    private const string PutBackScript = """
        [ -d "$1/$2" ] || exit 0
        find "$1" -mindepth 1 -maxdepth 1 ! -name "$2" -exec rm -rf {} + && find "$1/$2" -mindepth 1 -maxdepth 1 -exec mv {} "$1/" \; && rmdir "$1/$2"
        """;

    private const string DiscardScript = "rm -rf \"$1/$2\"";

    public Task MoveAsideAsync(CancellationToken cancellationToken) => RunAsync("set-aside", MoveAsideScript, cancellationToken);

    /// <summary>Undoes <see cref="MoveAsideAsync"/>: whatever the failed restore wrote goes, the previous data comes back.</summary>
    public Task PutBackAsync(CancellationToken cancellationToken) => RunAsync("put-back", PutBackScript, cancellationToken);

    public Task DiscardAsync(CancellationToken cancellationToken) => RunAsync("discard", DiscardScript, cancellationToken);

    private async Task RunAsync(string step, string script, CancellationToken cancellationToken)
    {
        var created = await session.Docker.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"{session.Stack.ProjectName}-restore-{step}-{Guid.NewGuid().ToString("N")[..8]}",
            Image = session.Settings.Image,
            Entrypoint = ["sh", "-c", script, "sh", folder, AsideName],
            Cmd = [],
            Labels = new Dictionary<string, string> { [ToolContainer.Label] = session.Stack.ProjectName },
            HostConfig = new HostConfig { VolumesFrom = [serverId], NetworkMode = "none" },
        }, cancellationToken).ConfigureAwait(false);
        try
        {
            await session.Docker.StartContainerAsync(created, cancellationToken).ConfigureAwait(false);
            var exit = await session.Docker.WaitContainerAsync(created, cancellationToken).ConfigureAwait(false);
            if (exit == AsideExists)
            {
                throw new DatamancyException(ErrorIds.RestoreLeftoverFound, ErrorKind.ResourceExists,
                    $"{folder}/{AsideName} of the stopped server already exists: an interrupted restore left the server's previous data there. " +
                    $"Look at it, move its entries back into {folder} or remove it (for example from a container with the server's volumes), then restore again.", folder);
            }

            if (exit != 0)
            {
                throw new DatamancyException(ErrorIds.BackupToolFailed, ErrorKind.InvalidOperation,
                    $"The restore's {step} step for the previous data of the stopped server ({folder}/{AsideName}) failed (exit {exit}).", folder);
            }
        }
        finally
        {
            await session.Docker.RemoveContainerAsync(created, false, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
