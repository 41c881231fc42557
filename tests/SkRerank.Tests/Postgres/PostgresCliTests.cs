using System.Text.Json;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Postgres;

/// <summary><c>skrerank … --store postgres</c>, run as a user runs it, against a PGlite server of its own.</summary>
public sealed class PostgresCliTests : IDisposable
{
    private readonly PgliteServer _server = PgliteServer.Start(withVector: true);

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Search_on_postgres_answers_and_a_second_process_embeds_nothing_the_table_holds()
    {
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 60);

        var first = await CliProcess.RunAsync(["search", "--store", "postgres", "--connection-string", _server.ConnectionString,
            "super hero mystery action movie about bats", "--json", "--dataset", dataset, "--cache-dir", temp.File("cache")]);
        // A new cache folder: only the table can spare the embedding. The connection string comes from the environment.
        var second = await CliProcess.RunAsync(["search", "--store", "postgres", "bats", "--dataset", dataset, "--cache-dir", temp.File("other-cache")],
            new Dictionary<string, string?> { ["SKRERANK_POSTGRES"] = _server.ConnectionString });
        var otherModel = await CliProcess.RunAsync(["search", "--store", "postgres", "--embeddings", "minilm", "bats", "--dataset", dataset, "--cache-dir", temp.File("cache")],
            new Dictionary<string, string?> { ["SKRERANK_POSTGRES"] = _server.ConnectionString });

        Assert.True(first.ExitCode == 0, first.ToString());
        using var json = JsonDocument.Parse(first.Output);
        var results = json.RootElement.GetProperty("results");
        Assert.Equal(5, results.GetArrayLength());
        Assert.Contains(results.EnumerateArray(), r => r.GetProperty("title").GetString() is { } t && (t.Contains("Dark Knight") || t.Contains("Batman")));
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("0 embedded, 60 from cache", second.Error);
        Assert.Equal(1, otherModel.ExitCode);
        // Model loading may print progress lines first; the error itself is one line.
        var error = Assert.Single(otherModel.Error.Trim().Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("snowflake-arctic-embed-xs-int8", error);
        Assert.Contains("all-MiniLM-L6-v2-int8", error);
        Assert.Contains("Nothing was changed", error);
    }

    [Fact]
    public async Task A_server_that_is_down_is_one_line_naming_host_and_port_and_exit_code_1()
    {
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 5);
        // A port bound but not listening: connections are refused, and no server another test starts can take it meanwhile.
        using var held = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        held.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)held.LocalEndPoint!).Port;

        var result = await CliProcess.RunAsync(["search", "--store", "postgres", "--connection-string", $"Host=127.0.0.1;Port={port};Username=postgres;Password=hunter2-secret",
            "bats", "--dataset", dataset, "--cache-dir", temp.File("cache")]);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains($"127.0.0.1:{port}", line);
        Assert.DoesNotContain("hunter2-secret", result.Error + result.Output);
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_says_how_to_give_one()
    {
        var result = await CliProcess.RunAsync(["search", "--store", "postgres", "bats"], new Dictionary<string, string?> { ["SKRERANK_POSTGRES"] = null });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--connection-string", result.Error);
        Assert.Contains("SKRERANK_POSTGRES", result.Error);
    }
}
