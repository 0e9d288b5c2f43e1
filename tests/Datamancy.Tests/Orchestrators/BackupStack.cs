using Datamancy.Backup;
using Datamancy.Engine;
using Datamancy.Stack.Model;
using Datamancy.Tests.Fakes;
using Datamancy.Tests.Kopia;

namespace Datamancy.Tests.Orchestrators;

/// <summary>
/// A stack backed up by Kopia on the fake engine: volumes appdata and media, the postgres database
/// (running) and the configs. Kopia's commands in the tool container answer with the Kopia
/// fixtures; postgres counts one table and dumps <see cref="Dump"/>.
/// </summary>
internal sealed class BackupStack : IDisposable
{
    public const string Compose = """
        name: bk
        services:
          kopia:
            image: kopia/kopia:0.18
            volumes: [kopia-config:/app/config, kopia-repository:/repository]
          postgres:
            image: postgres:16
            volumes: [pgdata:/var/lib/postgresql/data]
          app:
            image: fake/app:1
            volumes: [appdata:/data, media:/media]
        volumes:
          kopia-config: {}
          kopia-repository: {}
          pgdata: {}
          appdata: {}
          media: {}
        """;

    public const string Dump = "-- PostgreSQL database dump\nCREATE TABLE t (id int);\n";

    private readonly TestStack _folder;

    public BackupStack(string compose = Compose)
    {
        _folder = new(compose);
        Stack = _folder.Load();
        foreach (var image in Stack.Services.Select(s => s.Image!).Distinct())
        {
            Engine.AddImage(image);
        }

        foreach (var volume in Stack.Volumes)
        {
            Engine.AddVolume(volume.Name);
        }

        Postgres = Engine.AddContainer(Stack.ProjectName, "postgres", ContainerState.Running);
        Engine.OnExec(c => IsTool(c) && c.CommandLine == "kopia repository status --json", _ => Fixture(0, "status-ok"));
        Engine.OnExec(c => IsTool(c) && c.CommandLine.StartsWith("kopia snapshot create", StringComparison.Ordinal),
            c => Fixture(0, c.Request.AttachInput ? "create-stream" : "create-ok"));
        // The configs' ignore rules (the stack folder's secrets) are set before their snapshot.
        Engine.OnExec(c => IsTool(c) && c.CommandLine.StartsWith("kopia policy set /sources/configs --clear-ignore", StringComparison.Ordinal), _ => ExecReply.Ok(string.Empty));
        Engine.OnExec(c => c.Container == Postgres && c.CommandLine.Contains("COPY (", StringComparison.Ordinal), _ => ExecReply.Ok("public.t\t3\n"));
        Engine.OnExec(c => c.Container == Postgres && c.CommandLine.Contains("pg_dump", StringComparison.Ordinal), _ => ExecReply.Ok(Dump));
    }

    public StackDefinition Stack { get; }

    public FakeEngine Engine { get; } = new();

    public RecordingReporter Reporter { get; } = new();

    public FakeContainer Postgres { get; }

    public BackupSession Session => new(Engine, Stack, BackupSettingsReader.Read(Stack), KopiaFixtures.Password, Reporter);

    /// <summary>The tool containers created so far (all of them, removed or not).</summary>
    public int ToolContainersCreated => Engine.CallsOf("create").Count(c => c.StartsWith("bk-backup-tool-", StringComparison.Ordinal));

    public IEnumerable<FakeContainer> ToolContainersLeft => Engine.Containers.Where(c => c.Labels.ContainsKey(ToolContainer.Label));

    public static bool IsTool(ExecCall call) => call.Container.Labels.ContainsKey(ToolContainer.Label);

    /// <summary>A snapshot of a target's path answers <paramref name="reply"/> instead.</summary>
    public void SnapshotOf(string sourcePath, Func<ExecCall, ExecReply> reply) =>
        Engine.OnExec(c => IsTool(c) && c.CommandLine.StartsWith("kopia snapshot create", StringComparison.Ordinal) && c.Request.Command.Contains(sourcePath), reply);

    public static ExecReply Fixture(long exitCode, string name) =>
        new(exitCode, System.Text.Encoding.UTF8.GetBytes(KopiaFixtures.ReadOrEmpty(name + ".stdout")), KopiaFixtures.ReadOrEmpty(name + ".stderr"));

    public async Task<List<BackupResult>> BackupAsync(string[]? targets = null, CancellationToken cancellationToken = default)
    {
        var results = new List<BackupResult>();
        await new BackupRunner(Session).RunAsync(BackupTargetResolver.Select(Stack, targets), null, results.Add, cancellationToken);
        return results;
    }

    public void Dispose()
    {
        Engine.Dispose();
        _folder.Dispose();
    }
}
