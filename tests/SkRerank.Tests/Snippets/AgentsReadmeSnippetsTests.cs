using System.ClientModel;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenAI;
using SkRerank.Movies;
using SkRerank.Reranking;
using SkRerank.Tests.Agents;
using SkRerank.Tests.Support;
using SkRerank.Together;
using SkRerank.VectorStore;

namespace SkRerank.Tests.Snippets;

/// <summary>
/// The agent snippets of the docs run here (against <see cref="ScriptedChatServer"/> and the offline models), and the
/// docs must show each one verbatim, so neither can drift.
/// </summary>
public sealed partial class AgentsReadmeSnippetsTests : IDisposable
{
    /// <summary>Where users read the snippets.</summary>
    private const string AgentsDoc = "README.md";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Every_snippet_appears_verbatim_in_the_docs()
    {
        var snippets = ReadSnippets();
        Assert.Equal(["semantic-kernel", "extensions-ai", "bring-your-own", "rerank-own-data", "two-stage-own-records", "reranker-pipeline", "together-environment"], snippets.Keys);
        var doc = Normalize(File.ReadAllText(Path.Combine(RepositoryRoot(), AgentsDoc)));
        foreach (var (name, code) in snippets)
            Assert.True(doc.Contains(code, StringComparison.Ordinal), $"{AgentsDoc} does not show snippet '{name}' as compiled:\n{code}");
    }

    [Fact]
    public void Together_environment_snippet_reads_the_key_from_configuration_not_the_process_environment()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["TOGETHER_API_KEY"] = "from-configuration" })
            .Build();
        using var provider = ReadmeSnippets.TogetherKeyFromConfiguration(new ServiceCollection(), configuration).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TogetherOptions>>().Value;
        Assert.Equal("from-configuration", options.ApiKey);
        Assert.Equal("mixedbread-ai/Mxbai-Rerank-Large-V2", options.RerankModel);
        Assert.Equal(TogetherOptions.DefaultBaseUrl, options.BaseUrl);
    }

    [Fact]
    public async Task Semantic_kernel_snippet_answers_through_a_search_movies_tool_call()
    {
        await using var server = await ScriptedChatServer.StartAsync(
            request => ScriptedChatServer.ToolCalls("m", ("call_1", ScriptedChatServer.ToolName(request), """{"query":"super hero mystery action movie about bats"}""")),
            _ => ScriptedChatServer.Answer("m", "The Dark Knight."));

        var answer = await ReadmeSnippets.SemanticKernelAsync(new Uri(server.BaseUrl), "key", MovieSubset.WriteFile(_temp.Path), MovieSubset.CacheDirectory);

        Assert.Equal("The Dark Knight.", answer);
        Assert.Equal("movies-search_movies", ScriptedChatServer.ToolName(server.Requests[0].Body));
        var hits = JsonNode.Parse(server.Requests[1].ToolResults["call_1"])!.AsArray();
        Assert.Equal(5, hits.Count);
        Assert.All(hits, h => Assert.True(h!["reranked"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Extensions_ai_snippet_answers_through_a_function_invoking_chat_client()
    {
        await using var server = await ScriptedChatServer.StartAsync(
            request => ScriptedChatServer.ToolCalls("m",
                ("call_1", ScriptedChatServer.ToolName(request), """{"query":"super hero mystery action movie about bats","top_n":2}"""),
                ("call_2", ScriptedChatServer.ToolName(request), """{"query":"bats","top_n":500}""")),
            _ => ScriptedChatServer.Answer("m", "Batman it is."));
        // Microsoft.Extensions.AI's own OpenAI IChatClient (no Semantic Kernel connector in the loop).
        IChatClient chatClient = new OpenAI.Chat.ChatClient("m", new ApiKeyCredential("key"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseUrl) })
            .AsIChatClient();

        var answer = await ReadmeSnippets.ExtensionsAIAsync(chatClient, MovieSubset.WriteFile(_temp.Path), MovieSubset.CacheDirectory);

        Assert.Equal("Batman it is.", answer);
        var tool = Assert.Single(server.Requests[0].Body["tools"]!.AsArray())!;
        Assert.Equal("movies_search_movies", tool["function"]!["name"]!.GetValue<string>());
        Assert.Equal(["query"], tool["function"]!["parameters"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        var results = server.Requests[1].ToolResults;
        Assert.Equal(2, JsonNode.Parse(results["call_1"])!.AsArray().Count);
        Assert.Contains("top_n must be between 1 and 20", results["call_2"]);
    }

    [Fact]
    public async Task Bring_your_own_snippet_uses_the_given_components()
    {
        var generator = new HashingEmbeddingGenerator(64);
        var collection = new InMemoryVectorStoreCollection<int, Movie>("own", new InMemoryCollectionOptions { Definition = MovieCollectionDefinition.Create(64) });
        var reranker = new FirstDocumentReranker();

        var search = ReadmeSnippets.BringYourOwn(generator, collection, reranker);

        Assert.Same(reranker, search.Reranker);
        Assert.Equal(50, search.Options.Candidates);
        await new SkRerank.Indexing.MovieIndexer(collection, generator, new MovieCatalog()).IndexAsync(await MovieSubset.LoadAsync(10));
        var response = await search.SearchAsync(new SkRerank.Search.MovieSearchRequest { Query = "minions", TopN = 1 });
        Assert.True(response.Reranked);
    }

    /// <summary>Snippet name → code, with the common indentation removed.</summary>
    private static Dictionary<string, string> ReadSnippets([CallerFilePath] string testFile = "")
    {
        var source = File.ReadAllText(Path.Combine(Path.GetDirectoryName(testFile)!, "ReadmeSnippets.cs")).ReplaceLineEndings("\n");
        var snippets = new Dictionary<string, string>();
        foreach (Match match in SnippetPattern().Matches(source))
        {
            var lines = match.Groups["code"].Value.TrimEnd('\n', ' ').Split('\n');
            var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
            snippets.Add(match.Groups["name"].Value, Normalize(string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()))));
        }
        return snippets;
    }

    private static string Normalize(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()));

    private static string RepositoryRoot([CallerFilePath] string testFile = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(testFile)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SkRerank.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("SkRerank.sln not found above " + testFile);
    }

    [GeneratedRegex(@"// begin-snippet: (?<name>[\w-]+)\n(?<code>.*?)^\s*// end-snippet", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex SnippetPattern();

    private sealed class FirstDocumentReranker : IReranker
    {
        public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
        public void Dispose() { }

        public RerankerMetadata Metadata { get; } = new("test", "first");

        public Task<IReadOnlyList<RerankResult>> RerankAsync(string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<RerankResult>>([new RerankResult(0, 1)]);
    }
}
