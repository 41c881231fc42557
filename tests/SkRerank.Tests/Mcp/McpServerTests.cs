using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using SkRerank.Tests.Support;
using Xunit.Abstractions;

namespace SkRerank.Tests.Mcp;

/// <summary>
/// <c>skrerank mcp</c> end to end: the built CLI spawned as an MCP server over stdio (offline models, 64-movie subset),
/// driven by the ModelContextProtocol SDK's own client.
/// </summary>
public sealed class McpServerTests(McpServerFixture server, ITestOutputHelper output) : IClassFixture<McpServerFixture>
{
    private McpClient _client => server.Client;

    [Fact]
    public async Task Serves_search_movies_over_stdio_and_answers_tools_list_and_tools_call()
    {
        output.WriteLine($"server started, indexed and initialized in {server.StartupMs} ms");
        Assert.Equal("skrerank", _client.ServerInfo?.Name);
        Assert.Contains("search_movies", _client.ServerInstructions);

        var tools = await _client.ListToolsAsync();
        var tool = Assert.Single(tools);
        Assert.Equal("search_movies", tool.Name);
        Assert.StartsWith("Searches a catalogue of 1000 popular movies", tool.Description);
        Assert.True(tool.ProtocolTool.Annotations?.ReadOnlyHint);
        var schema = tool.JsonSchema;
        var properties = schema.GetProperty("properties");
        Assert.Equal(["query", "top_n", "genre", "director"], properties.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("What to look for", properties.GetProperty("query").GetProperty("description").GetString());
        Assert.Equal(["query"], schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));

        var clock = Stopwatch.StartNew();
        var result = await _client.CallToolAsync("search_movies", new Dictionary<string, object?>
        {
            ["query"] = "super hero mystery action movie about bats",
            ["top_n"] = 3,
        });
        output.WriteLine($"tools/call took {clock.ElapsedMilliseconds} ms");
        Assert.NotEqual(true, result.IsError);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        var hits = JsonDocument.Parse(text).RootElement;
        Assert.Equal(3, hits.GetArrayLength());
        Assert.Contains("Batman", hits[0].GetProperty("title").GetString());
        Assert.All(hits.EnumerateArray(), h => Assert.True(h.GetProperty("reranked").GetBoolean()));

        var filtered = await _client.CallToolAsync("search_movies", new Dictionary<string, object?>
        {
            ["query"] = "dreams and heists",
            ["director"] = "christopher nolan",
        });
        var nolan = JsonDocument.Parse(((TextContentBlock)filtered.Content[0]).Text).RootElement;
        Assert.True(nolan.GetArrayLength() > 0);
        Assert.All(nolan.EnumerateArray(), h => Assert.Equal("Christopher Nolan", h.GetProperty("director").GetString()));

        Assert.Contains(server.StandardError, l => l.Contains("skrerank mcp: serving search_movies", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"query":"bats","top_n":500}""", "top_n must be between 1 and 20")]
    [InlineData("""{"top_n":3}""", "Missing argument for function parameter 'query'")]
    [InlineData("""{"query":"   "}""", "non-empty 'query'")]
    [InlineData("""{"query":"bats","genre":"Polka"}""", "Unknown genre 'Polka'")]
    [InlineData("""{"query":"bats","top_n":1.5}""", "'top_n' must be a whole number from 1 to 20, but was the number 1.5.")]
    [InlineData("""{"query":"bats","top_n":"abc"}""", "'top_n' must be a whole number from 1 to 20, but was the string \"abc\".")]
    [InlineData("""{"query":42}""", "'query' must be a string, but was the number 42.")]
    [InlineData("""{"query":null}""", "non-empty 'query'")]
    [InlineData("""{"query":"bats","director":"Nolen"}""", "Close matches: Christopher Nolan")]
    public async Task Bad_arguments_give_a_readable_error_result(string arguments, string expected)
    {
        var args = JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments)!;
        var result = await _client.CallToolAsync("search_movies", args);
        Assert.True(result.IsError);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        output.WriteLine(text);
        Assert.Contains(expected, text);
        Assert.DoesNotContain("JsonElement", text);
        Assert.DoesNotContain("(Parameter '", text);

        // The server is still serving.
        var ok = await _client.CallToolAsync("search_movies", new Dictionary<string, object?> { ["query"] = "bats", ["top_n"] = 1 });
        Assert.NotEqual(true, ok.IsError);
    }

    [Fact]
    public async Task Null_for_an_optional_argument_means_its_default()
    {
        var args = JsonSerializer.Deserialize<Dictionary<string, object?>>("""{"query":"bats","top_n":null,"genre":null,"director":null}""")!;
        var result = await _client.CallToolAsync("search_movies", args);
        Assert.NotEqual(true, result.IsError);
        Assert.Equal(5, JsonDocument.Parse(((TextContentBlock)result.Content[0]).Text).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task A_huge_query_is_refused_with_the_limit()
    {
        var result = await _client.CallToolAsync("search_movies", new Dictionary<string, object?> { ["query"] = new string('x', 200_000) });
        Assert.True(result.IsError);
        Assert.Contains("the limit is 10,000", ((TextContentBlock)result.Content[0]).Text);
    }
}

/// <summary>One <c>skrerank mcp</c> process for all the tests of <see cref="McpServerTests"/>.</summary>
public sealed class McpServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    public McpClient Client { get; private set; } = null!;

    public long StartupMs { get; private set; }

    public IReadOnlyCollection<string> StandardError => _stderr;

    public async Task InitializeAsync()
    {
        var dataset = MovieSubset.WriteFile(_temp.Path);
        var clock = Stopwatch.StartNew();
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "skrerank",
            Command = "dotnet",
            Arguments = [CliProcess.DllPath, "mcp", "--dataset", dataset, "--cache-dir", MovieSubset.CacheDirectory],
            // The server's logs and progress; stdout is the protocol alone (a stray line would break the client).
            StandardErrorLines = line => _stderr.Enqueue(line),
        });
        Client = await McpClient.CreateAsync(transport);
        StartupMs = clock.ElapsedMilliseconds;
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        _temp.Dispose();
    }
}
