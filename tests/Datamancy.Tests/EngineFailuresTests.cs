using System.Net;
using Datamancy.Engine;
using Datamancy.Errors;
using Docker.DotNet;
using Xunit;

namespace Datamancy.Tests;

/// <summary>The seam's one translation of Docker.DotNet's and HTTP's failures.</summary>
public sealed class EngineFailuresTests
{
    private static readonly Uri Endpoint = new("unix:///var/run/docker.sock");

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "EngineObjectNotFound")]
    [InlineData(HttpStatusCode.Conflict, "EngineConflict")]
    [InlineData(HttpStatusCode.InternalServerError, "EngineError")]
    [InlineData(HttpStatusCode.BadRequest, "EngineError")]
    public async Task A_refusal_keeps_the_engines_own_words_and_gets_an_id_by_status(HttpStatusCode status, string id)
    {
        var error = await Assert.ThrowsAsync<DatamancyException>(() => EngineFailures.GuardAsync(Endpoint, "start container abc",
            () => Task.FromException<bool>(new DockerApiException(status, "{\"message\":\"port is already allocated\"}")), CancellationToken.None));
        Assert.Equal(id, error.ErrorId);
        Assert.Equal("The engine refused to start container abc: port is already allocated", error.Message);
        Assert.IsType<DockerApiException>(error.InnerException);
    }

    [Fact]
    public async Task A_broken_connection_or_a_cut_answer_is_EngineUnreachable_naming_the_endpoint()
    {
        foreach (var failure in new Exception[] { new HttpRequestException("Connection refused"), new IOException("The response ended prematurely."), new System.Text.Json.JsonException("'[' is invalid") })
        {
            var error = await Assert.ThrowsAsync<DatamancyException>(() => EngineFailures.GuardAsync(Endpoint, "list containers",
                () => Task.FromException<bool>(failure), CancellationToken.None));
            Assert.Equal(ErrorIds.EngineUnreachable, error.ErrorId);
            Assert.Contains("unix:///var/run/docker.sock", error.Message);
            Assert.Contains("list containers", error.Message);
            Assert.Same(failure, error.InnerException);
        }
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation_whatever_the_library_threw()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => EngineFailures.GuardAsync(Endpoint, "list containers",
            () => Task.FromException<bool>(new IOException("socket closed")), cancelled.Token));
    }

    [Fact]
    public async Task Lookups_return_null_and_removals_false_for_what_is_not_there()
    {
        Assert.Null(await EngineFailures.FindAsync(Endpoint, "inspect image x",
            () => Task.FromException<string>(new DockerApiException(HttpStatusCode.NotFound, "no such image")), CancellationToken.None));
        Assert.False(await EngineFailures.RemoveAsync(Endpoint, "remove volume v",
            () => Task.FromException(new DockerApiException(HttpStatusCode.NotFound, "no such volume")), CancellationToken.None));
        await Assert.ThrowsAsync<DatamancyException>(() => EngineFailures.RemoveAsync(Endpoint, "remove volume v",
            () => Task.FromException(new DockerApiException(HttpStatusCode.Conflict, "volume is in use")), CancellationToken.None));
    }
}
