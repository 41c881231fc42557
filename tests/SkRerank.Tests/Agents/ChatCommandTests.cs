using System.Text.Json.Nodes;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Agents;

/// <summary>
/// <c>skrerank chat</c> as a user runs it: the built CLI as a process, offline models on a 64-movie subset, and the
/// chat model played by <see cref="ScriptedChatServer"/> through TOGETHER_BASE_URL / TOGETHER_API_KEY.
/// </summary>
public sealed class ChatCommandTests : IDisposable
{
    private const string Query = "super hero mystery action movie about bats";
    private readonly TempDirectory _temp = new();
    private readonly string _dataset;

    public ChatCommandTests() => _dataset = MovieSubset.WriteFile(_temp.Path);

    public void Dispose() => _temp.Dispose();

    private string[] Arguments(params string[] extra) =>
        ["chat", "--dataset", _dataset, "--cache-dir", MovieSubset.CacheDirectory, .. extra];

    private static Dictionary<string, string?> Environment(ScriptedChatServer server) => new()
    {
        ["TOGETHER_BASE_URL"] = server.BaseUrl,
        ["TOGETHER_API_KEY"] = "x",
    };

    [Fact]
    public async Task Message_mode_completes_a_tool_call_round_trip_and_prints_only_the_answer()
    {
        await using var server = await ScriptedChatServer.StartAsync(
            request => ScriptedChatServer.ToolCalls("m", ("call_1", ScriptedChatServer.ToolName(request), $$"""{"query":"{{Query}}"}""")),
            _ => ScriptedChatServer.Answer("m", "Try The Dark Knight (Christopher Nolan)."));

        var run = await CliProcess.RunAsync(Arguments("--message", "find me a bat superhero mystery"), Environment(server));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Try The Dark Knight (Christopher Nolan).", run.Output.Trim());
        Assert.Contains($"[tool] search_movies(query: \"{Query}\") -> 5 movies, reranked", run.Error);
        Assert.Equal("Bearer x", server.Requests[0].Authorization);
        Assert.Equal("meta-llama/Llama-3.3-70B-Instruct-Turbo", server.Requests[0].Body["model"]!.GetValue<string>());
        var hits = JsonNode.Parse(server.Requests[1].ToolResults["call_1"])!.AsArray();
        Assert.Equal(5, hits.Count);
        Assert.Contains("Batman", hits[0]!["title"]!.GetValue<string>());
        Assert.All(hits, h => Assert.True(h!["reranked"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Interactive_mode_reads_turns_from_stdin_until_exit()
    {
        await using var server = await ScriptedChatServer.StartAsync(
            request => ScriptedChatServer.ToolCalls("custom", ("c1", ScriptedChatServer.ToolName(request), """{"query":"bats","genre":"Action","top_n":2}""")),
            _ => ScriptedChatServer.Answer("custom", "First answer."),
            _ => ScriptedChatServer.Answer("custom", "Second answer."));

        var run = await CliProcess.RunAsync(Arguments("--chat-model", "custom"), Environment(server),
            standardInput: "find bat movies\n\nanything else?\nexit\nnever sent\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["First answer.", "Second answer."], run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("you> ", run.Error);
        Assert.Contains("[tool] search_movies(query: \"bats\", genre: \"Action\", top_n: 2) -> 2 movies", run.Error);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal("custom", server.Requests[2].Body["model"]!.GetValue<string>());
        // The second turn carries the first turn's exchange.
        Assert.Contains(server.Requests[2].Body["messages"]!.AsArray(), m => m!["content"]?.ToJsonString().Contains("First answer.") == true);
    }

    [Fact]
    public async Task Missing_key_is_a_one_line_error_before_any_indexing()
    {
        var run = await CliProcess.RunAsync(Arguments("--message", "hi"));
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Output);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: chat needs TOGETHER_API_KEY", line);
    }

    [Fact]
    public async Task A_failing_chat_endpoint_is_a_one_line_error()
    {
        await using var server = await ScriptedChatServer.StartAsync(_ => throw new InvalidOperationException("model not found"));
        var run = await CliProcess.RunAsync(Arguments("--message", "hi"), Environment(server));
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains($"the chat endpoint {server.BaseUrl}", line);
        Assert.Contains("HTTP 400", line);
    }
}
