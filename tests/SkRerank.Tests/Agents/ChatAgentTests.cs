using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SkRerank.Cli.Chat;
using SkRerank.Indexing;
using SkRerank.Plugin;
using SkRerank.Search;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Agents;

/// <summary>
/// The chat agent's tool loop with the real SK OpenAI connector against <see cref="ScriptedChatServer"/>: what schema
/// the connector sends, that tool results go back to the model, and that bad arguments come back as readable errors.
/// </summary>
public sealed class ChatAgentTests
{
    private const string Model = "scripted-llama";

    [Fact]
    public async Task Tool_call_round_trip_sends_the_schema_returns_the_movies_and_delivers_the_answer()
    {
        var search = await CreateSearchAsync();
        var expected = (await search.SearchAsync(new MovieSearchRequest { Query = "Batman Gotham Joker", TopN = 3 })).Results.Select(r => r.Movie.Title).ToList();
        Assert.Contains(expected, t => t.Contains("Dark Knight") || t.Contains("Batman"));

        await using var server = await ScriptedChatServer.StartAsync(
            request => ScriptedChatServer.ToolCalls(Model, ("call_1", ScriptedChatServer.ToolName(request), """{"query":"Batman Gotham Joker","top_n":3}""")),
            _ => ScriptedChatServer.Answer(Model, "Watch The Dark Knight."));
        var toolLog = new StringWriter();
        var agent = ChatAgent.Create(search, new ChatEndpoint(new Uri(server.BaseUrl), "test-key", Model), toolLog, NullLoggerFactory.Instance);

        var answer = await agent.AskAsync("find me a bat superhero mystery", CancellationToken.None);

        Assert.Equal("Watch The Dark Knight.", answer);
        Assert.Equal(2, server.Requests.Count);
        var first = server.Requests[0];
        Assert.Equal("Bearer test-key", first.Authorization);
        Assert.Equal(Model, first.Body["model"]!.GetValue<string>());

        // The tool as the connector described it: SK names it plugin-function.
        var tool = Assert.Single(first.Body["tools"]!.AsArray())!;
        Assert.Equal("function", tool["type"]!.GetValue<string>());
        var function = tool["function"]!;
        Assert.Equal("movies-search_movies", function["name"]!.GetValue<string>());
        Assert.StartsWith("Searches a catalogue of 1000 popular movies", function["description"]!.GetValue<string>());
        var parameters = function["parameters"]!;
        Assert.Equal("object", parameters["type"]!.GetValue<string>());
        var properties = parameters["properties"]!.AsObject();
        Assert.Equal(["query", "top_n", "genre", "director"], properties.Select(p => p.Key));
        Assert.All(properties, p => Assert.False(string.IsNullOrWhiteSpace(p.Value!["description"]?.GetValue<string>()), $"{p.Key} has no description"));
        Assert.StartsWith("What to look for", properties["query"]!["description"]!.GetValue<string>());
        Assert.Contains("1 to 20", properties["top_n"]!["description"]!.GetValue<string>());
        Assert.Equal(["query"], parameters["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        // The system prompt and the user's message went first.
        var messages = first.Body["messages"]!.AsArray();
        Assert.Equal("system", messages[0]!["role"]!.GetValue<string>());
        Assert.Equal("find me a bat superhero mystery", messages[1]!["content"]!.GetValue<string>());

        // The follow-up carries the assistant's tool call and the tool result: the movies, best first.
        var second = server.Requests[1];
        var assistant = second.Body["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "assistant")!;
        Assert.Equal("call_1", assistant["tool_calls"]![0]!["id"]!.GetValue<string>());
        var result = JsonNode.Parse(second.ToolResults["call_1"])!.AsArray();
        Assert.Equal(expected, result.Select(h => h!["title"]!.GetValue<string>()));
        Assert.All(result, h => Assert.NotNull(h!["overview"]));

        // The user saw the call.
        var shown = toolLog.ToString();
        Assert.Contains("search_movies(query: \"Batman Gotham Joker\", top_n: 3) -> 3 movies", shown);
        Assert.Contains(expected[0], shown);
    }

    [Fact]
    public async Task Bad_arguments_come_back_to_the_model_as_readable_errors_and_the_conversation_goes_on()
    {
        var search = await CreateSearchAsync();
        await using var server = await ScriptedChatServer.StartAsync(
            request =>
            {
                var name = ScriptedChatServer.ToolName(request);
                return ScriptedChatServer.ToolCalls(Model,
                    ("call_missing", name, """{"top_n":3}"""),
                    ("call_big", name, """{"query":"space adventure","top_n":500}"""),
                    ("call_genre", name, """{"query":"space adventure","genre":"Polka"}"""));
            },
            _ => ScriptedChatServer.Answer(Model, "Sorry, let me try again."),
            // A later turn still works: the history holds the failed calls and their results.
            request => ScriptedChatServer.ToolCalls(Model, ("call_ok", ScriptedChatServer.ToolName(request), """{"query":"space adventure","top_n":2}""")),
            _ => ScriptedChatServer.Answer(Model, "Here you go."));
        var toolLog = new StringWriter();
        var agent = ChatAgent.Create(search, new ChatEndpoint(new Uri(server.BaseUrl), "k", Model), toolLog, NullLoggerFactory.Instance);

        Assert.Equal("Sorry, let me try again.", await agent.AskAsync("space movies", CancellationToken.None));
        var errors = server.Requests[1].ToolResults;
        Assert.Contains("Missing argument for function parameter 'query'", errors["call_missing"]);
        Assert.Contains("top_n must be between 1 and 20", errors["call_big"]);
        Assert.Contains("Unknown genre 'Polka'", errors["call_genre"]);
        Assert.All(errors.Values, e => Assert.DoesNotContain("   at ", e)); // no stack traces for the model
        Assert.Contains("failed: top_n must be between 1 and 20", toolLog.ToString());

        Assert.Equal("Here you go.", await agent.AskAsync("just two then", CancellationToken.None));
        var last = server.Requests[3];
        Assert.Equal(2, JsonNode.Parse(last.ToolResults["call_ok"])!.AsArray().Count);
        Assert.Equal(4, last.ToolResults.Count); // the three failed calls of the first turn are still in the history
    }

    [Fact]
    public void Endpoint_comes_from_the_environment_and_a_missing_key_is_one_clear_error()
    {
        var endpoint = ChatEndpoint.FromEnvironment(null, name => name switch
        {
            "TOGETHER_API_KEY" => " secret ",
            _ => null,
        });
        Assert.Equal(new Uri("https://api.together.xyz/v1"), endpoint.BaseUrl);
        Assert.Equal("secret", endpoint.ApiKey);
        Assert.Equal("meta-llama/Llama-3.3-70B-Instruct-Turbo", endpoint.Model);

        var local = ChatEndpoint.FromEnvironment("m", name => name == "TOGETHER_BASE_URL" ? "http://127.0.0.1:9/v1" : "k");
        Assert.Equal("http://127.0.0.1:9/v1", local.BaseUrl.ToString());

        var missing = Assert.ThrowsAny<Exception>(() => ChatEndpoint.FromEnvironment(null, _ => null));
        Assert.Contains("TOGETHER_API_KEY", missing.Message);
        var badUrl = Assert.ThrowsAny<Exception>(() => ChatEndpoint.FromEnvironment(null, name => name == "TOGETHER_BASE_URL" ? "ftp://x" : "k"));
        Assert.Contains("TOGETHER_BASE_URL", badUrl.Message);
    }

    /// <summary>A search over the first 64 movies with the fast hashing embedder and no reranker, built through DI.</summary>
    private static async Task<MovieSearchService> CreateSearchAsync()
    {
        var services = new ServiceCollection();
        services.AddMovieSearch(o => o.FirstStage = FirstStageMode.Vector).UseEmbeddingGenerator(new HashingEmbeddingGenerator(256));
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<MovieIndexer>().IndexAsync(await MovieSubset.LoadAsync());
        return provider.GetRequiredService<MovieSearchService>();
    }
}
