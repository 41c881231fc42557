using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using SkRerank.Onnx.Reranking;
using SkRerank.Plugin;
using SkRerank.Reranking;
using SkRerank.Tests.Agents;
using SkRerank.Tests.Onnx;
using System.Text.Json.Nodes;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Reranking;

/// <summary>Every reranker family works behind search_movies (on a Kernel) and behind <c>skrerank search --reranker NAME</c>.</summary>
public class RerankersThroughSearchTests
{
    private static async Task<IReadOnlyList<MovieSearchHit>> SearchMoviesAsync(IReranker reranker, string query, int topN = 3)
    {
        using var fixture = new MovieSearchFixture(reranker);
        var kernel = Kernel.CreateBuilder().Build();
        kernel.Plugins.AddFromObject(new MovieSearchPlugin(fixture.Search), MovieSearchPlugin.PluginName);
        var result = await kernel.InvokeAsync(MovieSearchPlugin.PluginName, "search_movies", new KernelArguments { ["query"] = query, ["top_n"] = topN });
        return result.GetValue<IReadOnlyList<MovieSearchHit>>()!;
    }

    [Fact]
    public async Task The_local_fusion_reranker_behind_search_movies()
    {
        var reranker = LocalFusionReranker.Create(new HashingEmbeddingGenerator(64, "a"), new HashingEmbeddingGenerator(32, "b"));
        var hits = await SearchMoviesAsync(reranker, "shark beach town police chief");
        Assert.Equal("Jaws", hits[0].Title);
        Assert.All(hits, h => Assert.True(h.Reranked));
    }

    [Fact]
    public async Task An_onnx_cross_encoder_behind_search_movies()
    {
        using var temp = new TempDirectory();
        TinyCrossEncoder.Write(temp.Path);
        using var reranker = OnnxCrossEncoderReranker.FromDirectory(temp.Path);
        // The tiny model weighs "bat", "gotham", "dark", "knight" up and "love", "romance" down.
        var hits = await SearchMoviesAsync(reranker, "dark knight of gotham");
        Assert.All(hits, h => Assert.True(h.Reranked));
        Assert.Contains("Batman", hits[0].Overview + hits[0].Title);
    }

    [Fact]
    public async Task A_chat_completion_reranker_behind_search_movies()
    {
        var client = new ScriptedClient(request => GradeByWordOverlap(request, "shark beach"));
        var reranker = new ChatCompletionReranker(client);
        var hits = await SearchMoviesAsync(reranker, "shark beach");
        Assert.Equal("Jaws", hits[0].Title);
        Assert.All(hits, h => Assert.True(h.Reranked));
        Assert.True(client.Calls > 0);
    }

    [Fact]
    public async Task Cli_search_with_the_cross_encoder_reranker()
    {
        using var temp = new TempDirectory();
        TinyCrossEncoder.Write(Path.Combine(temp.Path, "model"));
        var dataset = CliProcess.WriteMovieSubset(temp, 30);
        var result = await CliProcess.RunAsync(["search", "dark knight gotham", "--reranker", "cross-encoder", "--rerank-model", Path.Combine(temp.Path, "model"),
            "--json", "--dataset", dataset, "--cache-dir", temp.File("cache"), "--embeddings", "minilm"]);
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.True(json.RootElement.GetProperty("reranked").GetBoolean());
        Assert.StartsWith("onnx/", json.RootElement.GetProperty("reranker").GetString());
    }

    [Fact]
    public async Task Cli_search_with_the_chat_reranker_against_an_openai_compatible_server()
    {
        JsonObject Grade(JsonObject request) => ScriptedChatServer.Answer("scripted", GradeByWordOverlap(request, "space astronaut earth"));
        await using var server = await ScriptedChatServer.StartAsync(Grade, Grade); // 25 candidates, at most 20 per prompt
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 30);
        var result = await CliProcess.RunAsync(
            ["search", "space astronaut earth", "--reranker", "chat", "--json", "--dataset", dataset, "--cache-dir", temp.File("cache"), "--embeddings", "minilm", "--top", "3"],
            new Dictionary<string, string?> { ["TOGETHER_BASE_URL"] = server.BaseUrl, ["TOGETHER_API_KEY"] = "test-key" });

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.True(json.RootElement.GetProperty("reranked").GetBoolean());
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("meta-llama/Llama-3.3-70B-Instruct-Turbo", r.Body["model"]!.GetValue<string>()));
        Assert.Contains("Interstellar", result.Output);
    }

    [Fact]
    public async Task Cli_search_without_reranking_returns_first_stage_order()
    {
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 30);
        var result = await CliProcess.RunAsync(["search", "pirates", "--reranker", "none", "--json", "--dataset", dataset, "--cache-dir", temp.File("cache"), "--embeddings", "minilm"]);
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.False(json.RootElement.GetProperty("reranked").GetBoolean());
        var candidates = json.RootElement.GetProperty("candidates").EnumerateArray().Take(5).Select(c => c.GetProperty("id").GetInt32());
        Assert.Equal(candidates, json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
    }

    /// <summary>
    /// Grades each "[n] text" line of the last user message by how many query words it contains — a stand-in for
    /// an LLM judge, in the pointwise JSON the chat reranker asks for (fenced, as models often answer).
    /// </summary>
    private static string GradeByWordOverlap(JsonObject request, string query)
    {
        var user = request["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.ToString();
        var words = query.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var grades = new JsonArray();
        foreach (var line in user.Split('\n'))
        {
            var match = System.Text.RegularExpressions.Regex.Match(line, @"^\[(\d+)\]\s*(.*)$");
            if (!match.Success) continue;
            var text = match.Groups[2].Value.ToLowerInvariant();
            grades.Add(new JsonObject { ["index"] = int.Parse(match.Groups[1].Value), ["grade"] = Math.Min(3, words.Count(text.Contains)) });
        }
        return "```json\n" + new JsonObject { ["grades"] = grades }.ToJsonString() + "\n```";
    }

    /// <summary>An IChatClient that answers from a script, standing in for an LLM.</summary>
    private sealed class ScriptedClient(Func<System.Text.Json.Nodes.JsonObject, string> reply) : IChatClient
    {
        public int Calls { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            var request = new System.Text.Json.Nodes.JsonObject
            {
                ["messages"] = new System.Text.Json.Nodes.JsonArray(messages.Select(m => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
                {
                    ["role"] = m.Role.Value,
                    ["content"] = m.Text,
                }).ToArray()),
            };
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply(request))));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }
}
